using System.Text.Json.Nodes;
using Canary.Api.Support;
using Canary.Api.V1Beta1;
using Canary.Providers.Apply;
using Canary.Providers.Builders;
using Canary.Providers.Naming;
using Canary.Providers.Registry;
using Canary.Providers.Routing;
using k8s;

namespace Canary.Providers.Routers;

/// <summary>
/// Provider <c>apisix</c> (Apache APISIX Ingress): the canary ApisixRoute beside the user's one (<c>spec.routeRef</c>),
/// weighting the primary and canary Services (as fluxcd/flagger <c>pkg/router/apisix.go</c>, see
/// <see cref="ApisixRouteBuilder"/>).
/// </summary>
/// <remarks>
/// Reconcile re-syncs the copied http route from the user's ApisixRoute and keeps the weights (Flagger resets them to
/// 100/0 when the spec changed). Weights only. APISIX's metrics label requests by route, not backend, so the built-in
/// checks see the canary route's mix of both Services and there are no built-in judge queries (see
/// src/Canary.MetricTemplates). Finalize is a no-op: the canary route is owned by the Canary.
/// </remarks>
public sealed class ApisixRouter : ITrafficRouter
{
    private readonly CustomObjectClient _routes;
    private readonly ObjectApplier _applier;

    /// <summary>The registration: weights and blue/green; no matches, no mirroring, no session affinity.</summary>
    public static TrafficProvider Registration { get; } = new(
        TrafficProviders.Apisix, [], [RouterKinds.ApisixRoute], TrafficProvider.ReadWriteRules(RouterKinds.ApisixRoute),
        new ProviderCapabilities(SplitsTraffic: true, WeightedMirror: false, BlueGreenMirror: false, Matches: false, SessionAffinity: false) { ServiceRoutingFields = [] },
        (kube, options, _) => new ApisixRouter(kube, options))
    {
        UsesRouteRef = true,
    };

    /// <summary>Creates the router over <paramref name="kube"/>.</summary>
    public ApisixRouter(IKubernetes kube, TrafficRouterOptions options)
    {
        ArgumentNullException.ThrowIfNull(kube);
        ArgumentNullException.ThrowIfNull(options);
        _routes = new CustomObjectClient(kube, RouterKinds.ApisixRoute);
        _applier = new ObjectApplier(options.MaxConflictRetries);
    }

    /// <inheritdoc />
    public string Provider => Registration.Name;

    /// <inheritdoc />
    public async Task ReconcileAsync(CanaryResource canary, CancellationToken cancellationToken)
    {
        var ns = CanaryNames.Namespace(canary);
        var routeRef = RouteRef(canary);
        var user = await _routes.GetAsync(ns, routeRef, cancellationToken)
            ?? throw new TrafficRouterException($"APISIX route {routeRef}.{ns} not found (spec.routeRef)");
        await _applier.ApplyAsync(_routes, ns, ApisixRouteBuilder.Name(canary, routeRef), current =>
        {
            var desired = ApisixRouteBuilder.Build(canary, user, current is null ? RouteState.AllPrimary : ApisixRouteBuilder.ReadRoutes(canary, current) ?? RouteState.AllPrimary);
            return current is null ? desired : RouteObjects.MergeInto(current, desired, replaceLabels: false);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<RouteState> GetRoutesAsync(CanaryResource canary, CancellationToken cancellationToken)
    {
        var (ns, name) = (CanaryNames.Namespace(canary), ApisixRouteBuilder.Name(canary, RouteRef(canary)));
        var route = await _routes.GetAsync(ns, name, cancellationToken) ?? throw new TrafficRouterException($"APISIX route {name}.{ns} not found");
        return ApisixRouteBuilder.ReadRoutes(canary, route)
            ?? throw new TrafficRouterException($"APISIX route {name}.{ns} has no backend {CanaryNames.Services(canary).Primary}");
    }

    /// <inheritdoc />
    public async Task SetRoutesAsync(CanaryResource canary, int primaryWeight, int canaryWeight, bool mirrored, CancellationToken cancellationToken)
    {
        RouteState.Validate(primaryWeight, canaryWeight);
        var ns = CanaryNames.Namespace(canary);
        var name = ApisixRouteBuilder.Name(canary, RouteRef(canary));
        if (primaryWeight == 0 && canaryWeight == 0)
        {
            throw new TrafficRouterException($"APISIX route {name}.{ns} update failed: no valid weights");
        }

        await _applier.UpdateAsync(_routes, ns, name, current =>
            RouteObjects.WithSpec(current, ApisixRouteBuilder.WithWeights(canary, current, new RouteState(primaryWeight, canaryWeight, false))), cancellationToken);
    }

    /// <inheritdoc />
    public Task FinalizeAsync(CanaryResource canary, CancellationToken cancellationToken) => Task.CompletedTask;

    private static string RouteRef(CanaryResource canary) =>
        canary.Spec.RouteRef?.Name is { Length: > 0 } name
            ? name
            : throw new TrafficRouterException($"canary {CanaryNames.Describe(canary)}: spec.routeRef.name is required by the apisix provider");
}
