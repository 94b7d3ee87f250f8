using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Canary.Sandbox.GitOps;

/// <summary>One inventory entry in Flux's format: id <c>namespace_name_group_kind</c> and the API version applied.</summary>
public sealed record GitOpsInventoryEntry(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("v")] string Version)
{
    /// <summary>The object the entry names, or null when the id is malformed.</summary>
    public GitOpsObjectRef? ToObjectRef()
    {
        var parts = Id.Split('_');
        if (parts.Length != 4 || parts[1].Length == 0 || parts[3].Length == 0)
        {
            return null;
        }

        var apiVersion = parts[2].Length == 0 ? Version : $"{parts[2]}/{Version}";
        return new GitOpsObjectRef(apiVersion, parts[3], parts[0].Length == 0 ? null : parts[0], parts[1]);
    }

    public static GitOpsInventoryEntry For(GitOpsObjectRef obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        return new GitOpsInventoryEntry(obj.InventoryId, obj.Version);
    }
}

/// <summary>What a Kustomization applied last time (Flux keeps it in .status.inventory; here a ConfigMap holds it).</summary>
public sealed record GitOpsInventory(IReadOnlyList<GitOpsInventoryEntry> Entries)
{
    public static GitOpsInventory Empty { get; } = new([]);
}

/// <summary>Reads and writes the inventory ConfigMap <c>NAME-inventory</c> in the Kustomization's namespace.</summary>
internal sealed class InventoryStore(IKubernetes client, string kustomizationName, string kustomizationNamespace, TimeProvider time)
{
    private const string DataKey = "inventory";
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    public string ConfigMapName { get; } = kustomizationName + "-inventory";

    public async Task<GitOpsInventory> LoadAsync(CancellationToken cancellationToken)
    {
        try
        {
            var map = await client.CoreV1.ReadNamespacedConfigMapAsync(ConfigMapName, kustomizationNamespace, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (map.Data is null || !map.Data.TryGetValue(DataKey, out var text) || string.IsNullOrWhiteSpace(text))
            {
                return GitOpsInventory.Empty;
            }

            var stored = JsonSerializer.Deserialize<StoredInventory>(text, Json);
            return new GitOpsInventory(stored?.Entries ?? []);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return GitOpsInventory.Empty;
        }
    }

    public async Task SaveAsync(GitOpsInventory inventory, string revision, CancellationToken cancellationToken)
    {
        var data = new Dictionary<string, string>
        {
            [DataKey] = JsonSerializer.Serialize(new StoredInventory(inventory.Entries.ToList()), Json),
            ["revision"] = revision,
            ["lastReconciled"] = time.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
        };
        try
        {
            var map = await client.CoreV1.ReadNamespacedConfigMapAsync(ConfigMapName, kustomizationNamespace, cancellationToken: cancellationToken).ConfigureAwait(false);
            map.Data = data;
            await client.CoreV1.ReplaceNamespacedConfigMapAsync(map, ConfigMapName, kustomizationNamespace, cancellationToken: cancellationToken).ConfigureAwait(false);
            return;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            // First reconcile: create the namespace (like flux-system after bootstrap) and the ConfigMap below.
        }

        await EnsureNamespaceAsync(cancellationToken).ConfigureAwait(false);
        var created = new V1ConfigMap
        {
            Metadata = new V1ObjectMeta
            {
                Name = ConfigMapName,
                NamespaceProperty = kustomizationNamespace,
                Labels = new Dictionary<string, string> { ["app.kubernetes.io/managed-by"] = "canary-sandbox-gitops" },
            },
            Data = data,
        };
        await client.CoreV1.CreateNamespacedConfigMapAsync(created, kustomizationNamespace, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private async Task EnsureNamespaceAsync(CancellationToken cancellationToken)
    {
        try
        {
            await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = kustomizationNamespace } }, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
        {
            // Already there.
        }
    }

    private sealed record StoredInventory([property: JsonPropertyName("entries")] List<GitOpsInventoryEntry> Entries);
}
