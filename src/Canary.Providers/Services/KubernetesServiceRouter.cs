using System.Text.Json.Nodes;
using Canary.Api.Vocabulary;
using Canary.Kubernetes.Json;
using Canary.Providers.Apply;
using Canary.Providers.Naming;
using Canary.Providers.Routing;
using k8s;
using k8s.Models;

namespace Canary.Providers.Services;

/// <summary>
/// The apex, primary and canary ClusterIP Services of every Canary (Flagger's <c>KubernetesDefaultRouter</c>,
/// fluxcd/flagger pkg/router/kubernetes_default.go). The controller calls <see cref="InitializeAsync"/> before the primary exists,
/// <see cref="ReconcileAsync"/> once the primary is ready, and <see cref="FinalizeAsync"/> on deletion.
/// </summary>
/// <remarks>
/// Update rule (Flagger's): ports and selector are replaced when they differ, keeping existing nodePorts; labels and
/// annotations are reconciled only on Services this Canary owns, preserving <c>service.unmanagedMetadata</c> keys. A
/// pre-existing apex Service the user created is taken over (selector moved to the primary) but never owned, so
/// Finalize can give it back. Divergence: <see cref="ApexRouteAnnotation"/> lets the kubernetes provider point the
/// apex at the canary pods without this reconcile undoing it.
/// </remarks>
public sealed class KubernetesServiceRouter
{
    /// <summary>Set to <c>canary</c> on the apex while the kubernetes provider routes it to the canary pods (blue/green switch).</summary>
    public const string ApexRouteAnnotation = "canary.dev/apex-route";

    private readonly ServiceClient _services;
    private readonly ObjectApplier _applier;

    /// <summary>Creates the router over <paramref name="kube"/>.</summary>
    public KubernetesServiceRouter(IKubernetes kube, TrafficRouterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(kube);
        options ??= new TrafficRouterOptions();
        _services = new ServiceClient(kube, options.Cache);
        _applier = new ObjectApplier(options.MaxConflictRetries);
    }

    /// <summary>Creates or updates <c>&lt;apex&gt;-canary</c> and <c>&lt;apex&gt;-primary</c>.</summary>
    public async Task InitializeAsync(CanaryResource canary, ServiceTarget target, CancellationToken cancellationToken)
    {
        await ApplyAsync(canary, _ => ServiceBuilder.Canary(canary, target), cancellationToken);
        await ApplyAsync(canary, _ => ServiceBuilder.Primary(canary, target), cancellationToken);
    }

    /// <summary>Creates, updates or takes over the apex Service, selecting the primary pods.</summary>
    public Task ReconcileAsync(CanaryResource canary, ServiceTarget target, CancellationToken cancellationToken) =>
        ApplyAsync(canary, current => ServiceBuilder.Apex(canary, target, RoutesToCanary(current)), cancellationToken);

    /// <summary>
    /// Gives a taken-over apex Service back: its selector is restored from kubectl's last-applied configuration, or
    /// else set to the target's pods. Owned Services are left for garbage collection.
    /// </summary>
    public async Task FinalizeAsync(CanaryResource canary, TargetSelector selector, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(selector);
        var ns = CanaryNames.Namespace(canary);
        var apex = CanaryNames.Services(canary).Apex;
        await _applier.ApplyAsync(_services, ns, apex, current =>
        {
            if (current is null || ObjectMetadata.IsOwnedBy(current.Metadata.OwnerReferences, canary))
            {
                return null;
            }

            current.Spec.Selector = LastAppliedSelector(current) ?? selector.CanaryPods();
            current.Metadata.Annotations?.Remove(ApexRouteAnnotation);
            GiveBackToGitOps(current);
            return current;
        }, cancellationToken);
    }

    private async Task ApplyAsync(CanaryResource canary, Func<V1Service?, V1Service> build, CancellationToken cancellationToken)
    {
        var ns = CanaryNames.Namespace(canary);
        var name = build(null).Metadata.Name;
        await _applier.ApplyAsync(_services, ns, name, current => Merge(canary, current, build(current)), cancellationToken);
    }

    /// <summary>What to write given the live Service (null: nothing to change). Pure; exposed for tests.</summary>
    internal static V1Service? Merge(CanaryResource canary, V1Service? current, V1Service desired)
    {
        if (current is null)
        {
            return desired;
        }

        current.Spec ??= new V1ServiceSpec();
        var changed = false;
        if (!SamePorts(current.Spec.Ports, desired.Spec.Ports) || !SameMap(current.Spec.Selector, desired.Spec.Selector))
        {
            KeepNodePorts(current.Spec.Ports, desired.Spec.Ports);
            current.Spec.Ports = desired.Spec.Ports;
            current.Spec.Selector = desired.Spec.Selector;
            changed = true;
        }

        if (current.Spec.TrafficDistribution != desired.Spec.TrafficDistribution)
        {
            current.Spec.TrafficDistribution = desired.Spec.TrafficDistribution;
            changed = true;
        }

        if (!ObjectMetadata.IsOwnedBy(current.Metadata.OwnerReferences, canary))
        {
            changed |= TakeFromGitOps(current);
        }
        else
        {
            var unmanaged = canary.Spec.Service?.UnmanagedMetadata;
            var labels = WithPreserved(desired.Metadata.Labels, current.Metadata.Labels, unmanaged?.Labels);
            var annotations = WithPreserved(desired.Metadata.Annotations, current.Metadata.Annotations, [.. unmanaged?.Annotations ?? [], ApexRouteAnnotation]);
            if (!SameMap(labels, current.Metadata.Labels) || !SameMap(annotations, current.Metadata.Annotations))
            {
                current.Metadata.Labels = labels;
                current.Metadata.Annotations = annotations;
                changed = true;
            }
        }

        return changed ? current : null;
    }

    /// <summary>
    /// Marks a user's Service taken over so Flux stops applying the selector from Git over the primary's (Flagger marks
    /// it too), recording which markers were not the user's own so <see cref="GiveBackToGitOps"/> removes only those.
    /// </summary>
    private static bool TakeFromGitOps(V1Service service)
    {
        var annotations = service.Metadata.Annotations ??= new Dictionary<string, string>();
        var added = GitOpsMarkers.Keys.Where(k => !annotations.ContainsKey(k)).ToList();
        if (added.Count == 0)
        {
            return false;
        }

        foreach (var key in added)
        {
            annotations[key] = GitOpsMarkers.Disabled;
        }

        var earlier = annotations.TryGetValue(GitOpsMarkers.AddedAnnotation, out var list) ? list.Split(',', StringSplitOptions.RemoveEmptyEntries) : [];
        annotations[GitOpsMarkers.AddedAnnotation] = string.Join(',', earlier.Union(added, StringComparer.Ordinal));
        return true;
    }

    /// <summary>
    /// Divergence from Flagger, which leaves the markers on a Service it gives back so Flux never manages it again:
    /// the markers the controller added are removed, and the user's Kustomization owns the Service as before.
    /// </summary>
    private static void GiveBackToGitOps(V1Service service)
    {
        if (service.Metadata.Annotations is not { } annotations || !annotations.Remove(GitOpsMarkers.AddedAnnotation, out var added))
        {
            return;
        }

        foreach (var key in added.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            annotations.Remove(key);
        }
    }

    private static bool RoutesToCanary(V1Service? apex) =>
        apex?.Metadata.Annotations?.TryGetValue(ApexRouteAnnotation, out var route) == true && route == "canary";

    private static Dictionary<string, string>? LastAppliedSelector(V1Service service)
    {
        if (service.Metadata.Annotations?.TryGetValue(ObjectMetadata.LastAppliedConfiguration, out var json) != true)
        {
            return null;
        }

        try
        {
            var selector = JsonNodes.ReadMap(JsonNode.Parse(json!)?["spec"]?["selector"]);
            return selector.Count == 0 ? null : selector;
        }
        catch (System.Text.Json.JsonException)
        {
            return null; // a hand-edited annotation must not block finalization; fall back to the target's pods
        }
    }

    private static Dictionary<string, string> WithPreserved(
        IDictionary<string, string>? desired, IDictionary<string, string>? current, IEnumerable<string>? preservedKeys)
    {
        var result = new Dictionary<string, string>(desired ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        foreach (var key in preservedKeys ?? [])
        {
            if (current is not null && current.TryGetValue(key, out var value))
            {
                result[key] = value;
            }
            else
            {
                result.Remove(key);
            }
        }

        return result;
    }

    private static void KeepNodePorts(IList<V1ServicePort>? existing, IList<V1ServicePort> desired)
    {
        foreach (var old in existing ?? [])
        {
            if (old.NodePort is > 0 && desired.FirstOrDefault(p => p.Name == old.Name) is { } port)
            {
                port.NodePort = old.NodePort;
            }
        }
    }

    private static bool SamePorts(IList<V1ServicePort>? a, IList<V1ServicePort>? b) =>
        Key(a).SequenceEqual(Key(b), StringComparer.Ordinal);

    // nodePort is assigned by the API server and must not count as a difference.
    private static IEnumerable<string> Key(IList<V1ServicePort>? ports) =>
        (ports ?? []).Select(p => $"{p.Name}|{p.Protocol ?? "TCP"}|{p.Port}|{p.TargetPort?.Value}|{p.AppProtocol}")
            .Order(StringComparer.Ordinal);

    private static bool SameMap(IDictionary<string, string>? a, IDictionary<string, string>? b)
    {
        var left = a ?? new Dictionary<string, string>();
        var right = b ?? new Dictionary<string, string>();
        return left.Count == right.Count && left.All(e => right.TryGetValue(e.Key, out var v) && v == e.Value);
    }
}
