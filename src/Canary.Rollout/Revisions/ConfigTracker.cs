using System.Text.Json;
using Canary.Rollout.Engine;
using k8s.Models;

namespace Canary.Rollout.Revisions;

/// <summary>
/// Reads the ConfigMaps/Secrets a pod spec references and checksums them. Skipped: objects annotated
/// <c>canary.dev/config-tracking: disabled</c> (or Flagger's <c>flagger.app/config-tracking</c>), registry and
/// service-account Secrets, and missing optional references.
/// </summary>
public sealed class ConfigTracker(IClusterReader reader)
{
    /// <summary>Opt-out annotation.</summary>
    public const string TrackingAnnotation = "canary.dev/config-tracking";

    /// <summary>Flagger's opt-out annotation, honoured for imported manifests.</summary>
    public const string FlaggerTrackingAnnotation = "flagger.app/config-tracking";

    private static readonly HashSet<string> TrackedSecretTypes =
        new(["Opaque", "kubernetes.io/basic-auth", "kubernetes.io/ssh-auth", "kubernetes.io/tls"], StringComparer.Ordinal);

    /// <summary>The configs tracked for <paramref name="spec"/> in <paramref name="ns"/>.</summary>
    /// <exception cref="ConfigTrackingException">A mandatory reference is missing.</exception>
    public async Task<TrackedConfigs> TrackAsync(string ns, V1PodSpec? spec, CancellationToken cancellationToken)
    {
        var items = new List<TrackedConfig>();
        foreach (var reference in ConfigRefScanner.Scan(spec))
        {
            if (reference.Kind == ConfigKind.ConfigMap)
            {
                var configMap = await reader.GetConfigMapAsync(ns, reference.Name, cancellationToken).ConfigureAwait(false);
                if (Missing(configMap, reference, ns) || IsOptedOut(configMap!.Metadata))
                {
                    continue;
                }

                var checksum = Checksum(new { data = configMap.Data, binaryData = configMap.BinaryData });
                items.Add(new TrackedConfig(reference, checksum, configMap, null));
            }
            else
            {
                var secret = await reader.GetSecretAsync(ns, reference.Name, cancellationToken).ConfigureAwait(false);
                if (Missing(secret, reference, ns) || IsOptedOut(secret!.Metadata) || !TrackedSecretTypes.Contains(secret.Type ?? "Opaque"))
                {
                    continue;
                }

                items.Add(new TrackedConfig(reference, Checksum(new { data = secret.Data }), null, secret));
            }
        }

        return new TrackedConfigs(items);
    }

    /// <summary>First 8 bytes of SHA-256 of the JSON of <paramref name="data"/> (dictionary keys sorted), hex.</summary>
    internal static string Checksum(object data)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(JsonSerializer.Serialize(data));
        return PodTemplateHasher.Hash(PodTemplateHasher.Canonical(node));
    }

    private static bool Missing(object? found, ConfigRef reference, string ns) => found is null
        ? reference.Optional
            ? true
            : throw new ConfigTrackingException($"{reference.Kind.ToString().ToLowerInvariant()} {reference.Name}.{ns} not found")
        : false;

    private static bool IsOptedOut(V1ObjectMeta? metadata) =>
        metadata?.Annotations is { } annotations
        && ((annotations.TryGetValue(TrackingAnnotation, out var ours) && ours.StartsWith("disabled", StringComparison.Ordinal))
            || (annotations.TryGetValue(FlaggerTrackingAnnotation, out var flagger) && flagger.StartsWith("disabled", StringComparison.Ordinal)));
}
