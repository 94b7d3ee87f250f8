using System.Net;
using System.Text.Json.Nodes;
using k8s;

namespace Canary.Sandbox.GitOps;

/// <summary>A served resource: the plural used in paths and whether it lives in namespaces.</summary>
internal sealed record ServedResource(string Group, string Version, string Plural, bool Namespaced);

/// <summary>
/// Maps apiVersion and kind to a served resource through the API server's discovery documents (/api/v1,
/// /apis/GROUP/VERSION), as kubectl and Flux's RESTMapper do. One instance per reconcile: a group-version is read
/// again when a kind is missing, so CRDs applied earlier in the same reconcile are found.
/// </summary>
internal sealed class ResourceDiscovery(IKubernetes client)
{
    private readonly Dictionary<string, IReadOnlyList<(string Kind, ServedResource Resource)>?> _cache = new(StringComparer.Ordinal);

    public async Task<ServedResource?> ResolveAsync(string apiVersion, string kind, CancellationToken cancellationToken)
    {
        if (_cache.TryGetValue(apiVersion, out var cached) && Find(cached, kind) is { } hit)
        {
            return hit;
        }

        var fresh = await FetchAsync(apiVersion, cancellationToken).ConfigureAwait(false);
        _cache[apiVersion] = fresh;
        return Find(fresh, kind);
    }

    private static ServedResource? Find(IReadOnlyList<(string Kind, ServedResource Resource)>? resources, string kind) =>
        resources?.FirstOrDefault(r => r.Kind == kind).Resource;

    private async Task<IReadOnlyList<(string Kind, ServedResource Resource)>?> FetchAsync(string apiVersion, CancellationToken cancellationToken)
    {
        // The generated client has no call for an arbitrary group's discovery document, so it is fetched with the
        // client's own HttpClient (its handlers, TLS and credentials).
        if (client is not k8s.Kubernetes concrete)
        {
            throw new NotSupportedException("resource discovery needs a k8s.Kubernetes client");
        }

        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        var (group, version) = slash < 0 ? (string.Empty, apiVersion) : (apiVersion[..slash], apiVersion[(slash + 1)..]);
        var path = group.Length == 0 ? $"api/{version}" : $"apis/{group}/{version}";
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(concrete.BaseUri, path));
        if (concrete.Credentials is { } credentials)
        {
            await credentials.ProcessHttpRequestAsync(request, cancellationToken).ConfigureAwait(false);
        }

        using var response = await concrete.HttpClient.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        var document = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)) as JsonObject;
        var list = new List<(string, ServedResource)>();
        foreach (var item in (document?["resources"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var name = ManifestSource.Str(item, "name");
            if (name.Length == 0 || name.Contains('/', StringComparison.Ordinal))
            {
                continue; // subresources
            }

            var namespaced = item["namespaced"] is JsonValue v && v.TryGetValue<bool>(out var b) && b;
            list.Add((ManifestSource.Str(item, "kind"), new ServedResource(group, version, name, namespaced)));
        }

        return list;
    }
}
