using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Canary.Sandbox.ApiServer.Http;
using YamlDotNet.Core;

namespace Canary.Sandbox.GitOps;

/// <summary>One object of the source, with the file it came from.</summary>
internal sealed record Manifest(string File, JsonObject Object, GitOpsObjectRef Ref);

/// <summary>The directory's objects in apply order, its revision and the files that could not be parsed.</summary>
internal sealed record ManifestSet(string Revision, IReadOnlyList<Manifest> Objects, IReadOnlyList<GitOpsSourceError> Errors);

/// <summary>
/// Reads every *.yaml/*.yml under a directory (recursively, like Flux's generated kustomization.yaml) as plain
/// multi-document manifests and orders them the way kustomize-controller applies them.
/// </summary>
internal static class ManifestSource
{
    // Flux applies cluster definitions (CRDs, Namespaces) first, then the rest in kustomize's legacy kind order;
    // kinds not listed (custom resources) go last so their CRDs and namespaces exist by then.
    private static readonly string[] KindOrder =
    [
        "CustomResourceDefinition", "Namespace", "ResourceQuota", "StorageClass", "LimitRange", "PodSecurityPolicy",
        "PodDisruptionBudget", "ServiceAccount", "Secret", "SecretList", "ConfigMap", "ClusterRole", "ClusterRoleList",
        "ClusterRoleBinding", "ClusterRoleBindingList", "Role", "RoleList", "RoleBinding", "RoleBindingList", "Service",
        "DaemonSet", "Pod", "ReplicationController", "ReplicaSet", "Deployment", "HorizontalPodAutoscaler", "StatefulSet",
        "Job", "CronJob", "IngressClass", "Ingress", "APIService",
    ];

    public static async Task<ManifestSet> LoadAsync(string directory, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"manifest directory not found: {directory}");
        }

        var files = Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
            .Select(f => (Full: f, Relative: Path.GetRelativePath(directory, f).Replace('\\', '/')))
            .OrderBy(f => f.Relative, StringComparer.Ordinal)
            .ToList();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var objects = new List<Manifest>();
        var errors = new List<GitOpsSourceError>();
        foreach (var (full, relative) in files)
        {
            var bytes = await File.ReadAllBytesAsync(full, cancellationToken).ConfigureAwait(false);
            // The path is hashed too so a rename is a new revision, as it would be a new Git commit.
            hash.AppendData(Encoding.UTF8.GetBytes(relative + "\n"));
            hash.AppendData(bytes);
            Parse(relative, Encoding.UTF8.GetString(bytes), objects, errors);
        }

        var ordered = objects.Select((m, i) => (m, i)).OrderBy(p => Rank(p.m.Ref.Kind)).ThenBy(p => p.i).Select(p => p.m).ToList();
        return new ManifestSet("sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset()), ordered, errors);
    }

    /// <summary>Apply order of a kind; prunes go in reverse.</summary>
    public static int Rank(string kind)
    {
        var index = Array.IndexOf(KindOrder, kind);
        return index < 0 ? KindOrder.Length : index;
    }

    private static void Parse(string file, string text, List<Manifest> objects, List<GitOpsSourceError> errors)
    {
        IReadOnlyList<JsonNode?> documents;
        try
        {
            documents = YamlToJson.ParseAll(text);
        }
        catch (YamlException e)
        {
            errors.Add(new GitOpsSourceError(file, "invalid YAML: " + e.Message));
            return;
        }

        for (var i = 0; i < documents.Count; i++)
        {
            if (documents[i] is null)
            {
                continue;
            }

            if (documents[i] is not JsonObject obj)
            {
                errors.Add(new GitOpsSourceError(file, $"document {i + 1} is not an object"));
                continue;
            }

            var apiVersion = Str(obj, "apiVersion");
            var kind = Str(obj, "kind");
            var name = Str(obj["metadata"] as JsonObject, "name");
            if (apiVersion.StartsWith("kustomize.config.k8s.io/", StringComparison.Ordinal))
            {
                // A kustomization.yaml: Flux would run kustomize build; this reconciler applies plain manifests only.
                continue;
            }

            if (apiVersion.Length == 0 || kind.Length == 0 || name.Length == 0)
            {
                errors.Add(new GitOpsSourceError(file, $"document {i + 1} lacks apiVersion, kind or metadata.name"));
                continue;
            }

            var ns = Str(obj["metadata"] as JsonObject, "namespace");
            objects.Add(new Manifest(file, obj, new GitOpsObjectRef(apiVersion, kind, ns.Length == 0 ? null : ns, name)));
        }
    }

    internal static string Str(JsonObject? obj, string key) =>
        obj?[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : string.Empty;
}
