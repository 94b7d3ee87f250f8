using System.Text.Json.Nodes;
using Canary.Rollout.Revisions;
using k8s;
using k8s.Models;

namespace Canary.Rollout.Targets;

/// <summary>
/// Builds the <c>-primary</c> and <c>-canary</c> copies of a Service target (pure; Flagger's ServiceController): the
/// target's spec with the addresses the API server allocates (clusterIP(s), nodePorts, healthCheckNodePort) left to it,
/// or kept from the existing copy; filtered labels/annotations; the Canary's <c>service.trafficDistribution</c>; owned by
/// the Canary.
/// </summary>
public static class ServiceCopyBuilder
{
    /// <summary>The copy <paramref name="name"/> of <paramref name="target"/>, keeping the allocations of <paramref name="existing"/>.</summary>
    public static V1Service Build(CanaryResource canary, V1Service target, string name, V1Service? existing, CopiedMetadata? copied = null)
    {
        copied ??= CopiedMetadata.All;
        ArgumentNullException.ThrowIfNull(canary);
        ArgumentNullException.ThrowIfNull(target);
        var spec = ObjectCopies.Clone(target.Spec ?? new V1ServiceSpec());
        spec.ClusterIP = existing?.Spec?.ClusterIP;
        spec.ClusterIPs = existing?.Spec?.ClusterIPs;
        spec.HealthCheckNodePort = existing?.Spec?.HealthCheckNodePort;
        foreach (var port in spec.Ports ?? [])
        {
            port.NodePort = existing?.Spec?.Ports?.FirstOrDefault(p => p.Port == port.Port && p.Protocol == port.Protocol)?.NodePort;
        }

        if (canary.Spec.Service?.TrafficDistribution is { Length: > 0 } distribution)
        {
            spec.TrafficDistribution = distribution;
        }

        var copy = existing is null
            ? new V1Service
            {
                ApiVersion = "v1",
                Kind = "Service",
                Metadata = new V1ObjectMeta
                {
                    Name = name,
                    NamespaceProperty = target.Metadata.NamespaceProperty,
                    OwnerReferences = [ObjectCopies.OwnerReference(canary)],
                },
            }
            : ObjectCopies.Clone(existing);
        copy.Metadata.Labels = copied.Labels(target.Metadata.Labels);
        copy.Metadata.Annotations = copied.Annotations(target.Metadata.Annotations);
        copy.Spec = spec;
        return copy;
    }

    /// <summary>
    /// The revision of a Service target: the hash of its spec (Flagger's rule) without what the API server allocates,
    /// so only a change by the user (selector, ports, ...) is a new revision.
    /// </summary>
    public static Revision Revision(V1Service target)
    {
        ArgumentNullException.ThrowIfNull(target);
        var spec = JsonNode.Parse(KubernetesJson.Serialize(Allocated(target.Spec ?? new V1ServiceSpec())));
        return new Revision(PodTemplateHasher.Hash(PodTemplateHasher.Canonical(spec)));
    }

    /// <summary>True when <paramref name="current"/> already matches <paramref name="desired"/> (no write needed).</summary>
    public static bool Same(V1Service current, V1Service desired)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(desired);
        return KubernetesJson.Serialize(Allocated(current.Spec)) == KubernetesJson.Serialize(Allocated(desired.Spec))
            && SameMap(current.Metadata.Labels, desired.Metadata.Labels)
            && SameMap(current.Metadata.Annotations, desired.Metadata.Annotations);
    }

    private static bool SameMap(IDictionary<string, string>? a, IDictionary<string, string>? b) =>
        (a?.Count ?? 0) == (b?.Count ?? 0) && (a ?? new Dictionary<string, string>()).All(kv => b is not null && b.TryGetValue(kv.Key, out var v) && v == kv.Value);

    // The spec without the API server's allocations.
    private static V1ServiceSpec Allocated(V1ServiceSpec spec)
    {
        var copy = ObjectCopies.Clone(spec);
        copy.ClusterIP = null;
        copy.ClusterIPs = null;
        copy.HealthCheckNodePort = null;
        foreach (var port in copy.Ports ?? [])
        {
            port.NodePort = null;
        }

        return copy;
    }
}
