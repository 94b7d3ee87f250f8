using Canary.Api.Support;
using Canary.Providers.Registry;
using Canary.Providers.Apply;
using Canary.Providers.Naming;
using Canary.Providers.Routing;
using Canary.Providers.Services;
using k8s;
using k8s.Models;

namespace Canary.Providers.Routers;

/// <summary>
/// Provider <c>kubernetes</c> (no mesh): blue/green by switching the apex Service's selector between the primary and
/// the canary pods. Only all-or-nothing splits exist: (100, 0) selects the primary, (0, 100) the canary.
/// </summary>
/// <remarks>
/// Divergence from Flagger, whose <c>NopRouter</c> never moves traffic and reports (100,0)/(0,100) from
/// <c>status.iterations</c>: here the switch is real, so blue/green gives the canary real traffic before promotion, and
/// GetRoutes reads the apex selector. The switch is recorded in <see cref="KubernetesServiceRouter.ApexRouteAnnotation"/>
/// so the apex reconcile keeps it. The Services themselves are created by <see cref="KubernetesServiceRouter"/>, so
/// Reconcile and Finalize have nothing to do here. Mirroring is impossible with a selector and is rejected.
/// </remarks>
public sealed class KubernetesRouter : ITrafficRouter
{
    private readonly ServiceClient _services;
    private readonly ObjectApplier _applier;

    /// <summary>The registration: Services only, blue/green by switching the apex selector.</summary>
    public static TrafficProvider Registration { get; } = new(
        "kubernetes", [], [], [], new ProviderCapabilities(SplitsTraffic: false, WeightedMirror: false, BlueGreenMirror: false, Matches: false, SessionAffinity: false) { ServiceRoutingFields = [] },
        (kube, options, _) => new KubernetesRouter(kube, options));

    /// <summary>Creates the router over <paramref name="kube"/>.</summary>
    public KubernetesRouter(IKubernetes kube, TrafficRouterOptions options)
    {
        ArgumentNullException.ThrowIfNull(kube);
        ArgumentNullException.ThrowIfNull(options);
        _services = new ServiceClient(kube, options.Cache);
        _applier = new ObjectApplier(options.MaxConflictRetries);
    }

    /// <inheritdoc />
    public string Provider => Registration.Name;

    /// <inheritdoc />
    public Task ReconcileAsync(CanaryResource canary, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public async Task<RouteState> GetRoutesAsync(CanaryResource canary, CancellationToken cancellationToken)
    {
        var ns = CanaryNames.Namespace(canary);
        var apex = CanaryNames.Services(canary).Apex;
        var service = await _services.GetAsync(ns, apex, cancellationToken)
            ?? throw new TrafficRouterException($"Service {apex}.{ns} not found");
        return SelectsPrimary(service) ? new RouteState(100, 0, false) : new RouteState(0, 100, false);
    }

    /// <inheritdoc />
    public async Task SetRoutesAsync(CanaryResource canary, int primaryWeight, int canaryWeight, bool mirrored, CancellationToken cancellationToken)
    {
        RouteState.Validate(primaryWeight, canaryWeight);
        if (mirrored)
        {
            throw new TrafficRouterException("the kubernetes provider cannot mirror traffic");
        }

        var toCanary = (primaryWeight, canaryWeight) switch
        {
            (100, 0) => false,
            (0, 100) => true,
            _ => throw new TrafficRouterException(
                $"the kubernetes provider routes all traffic to one side (blue/green); cannot split {primaryWeight}/{canaryWeight}"),
        };
        var ns = CanaryNames.Namespace(canary);
        await _applier.UpdateAsync(_services, ns, CanaryNames.Services(canary).Apex, apex => Switch(apex, toCanary), cancellationToken);
    }

    /// <inheritdoc />
    public Task FinalizeAsync(CanaryResource canary, CancellationToken cancellationToken) => Task.CompletedTask;

    // The apex selector has the single label KubernetesServiceRouter wrote: <label>: <value>-primary for the primary.
    private static bool SelectsPrimary(V1Service service) =>
        service.Spec?.Selector is { Count: > 0 } selector && selector.Values.All(v => v.EndsWith(CanaryNames.PrimarySuffix, StringComparison.Ordinal));

    private static V1Service? Switch(V1Service apex, bool toCanary)
    {
        if (apex.Spec?.Selector is not { Count: > 0 } selector)
        {
            throw new TrafficRouterException($"Service {apex.Metadata.Name}.{apex.Metadata.NamespaceProperty} has no selector to switch");
        }

        if (SelectsPrimary(apex) != toCanary)
        {
            return null;
        }

        apex.Spec.Selector = selector.ToDictionary(
            e => e.Key,
            e => toCanary ? e.Value[..^CanaryNames.PrimarySuffix.Length] : e.Value + CanaryNames.PrimarySuffix,
            StringComparer.Ordinal);
        apex.Metadata.Annotations ??= new Dictionary<string, string>();
        if (toCanary)
        {
            apex.Metadata.Annotations[KubernetesServiceRouter.ApexRouteAnnotation] = "canary";
        }
        else
        {
            apex.Metadata.Annotations.Remove(KubernetesServiceRouter.ApexRouteAnnotation);
        }

        return apex;
    }
}
