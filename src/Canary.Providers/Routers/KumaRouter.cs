using System.Text.Json.Nodes;
using Canary.Api.Support;
using Canary.Api.V1Beta1;
using Canary.Kubernetes.Json;
using Canary.Providers.Apply;
using Canary.Providers.Builders;
using Canary.Providers.Naming;
using Canary.Providers.Registry;
using Canary.Providers.Routing;
using k8s;

namespace Canary.Providers.Routers;

/// <summary>
/// Provider <c>kuma</c>: one cluster-scoped Kuma TrafficRoute splitting the apex service between the primary and the
/// canary (as fluxcd/flagger <c>pkg/router/kuma.go</c>, named <c>&lt;apex&gt;.&lt;ns&gt;</c>, see
/// <see cref="TrafficRouteBuilder"/>).
/// </summary>
/// <remarks>
/// A TrafficRoute of that name that another Canary (or someone else) owns is never taken over: the error says whose it
/// is. Reconcile keeps the weights on the live route. Finalize deletes the route (nothing can garbage-collect a
/// cluster-scoped object for a namespaced Canary), so the apex service is Kuma's default route again; Flagger leaves it
/// behind. Kuma 2.x deprecates TrafficRoute for MeshHTTPRoute; this provider writes what Flagger 1.44 writes.
/// </remarks>
public sealed class KumaRouter : ITrafficRouter
{
    private readonly ClusterCustomObjectClient _routes;
    private readonly ObjectApplier _applier;

    /// <summary>The registration: weights and blue/green; no matches, no mirroring. Delete: the route cannot be garbage-collected.</summary>
    public static TrafficProvider Registration { get; } = new(
        TrafficProviders.Kuma, [], [RouterKinds.KumaTrafficRoute],
        [new RbacRule(RouterKinds.KumaTrafficRoute.Group, RouterKinds.KumaTrafficRoute.Plural, [.. RbacRule.ReadWrite, "delete"])],
        new ProviderCapabilities(SplitsTraffic: true, WeightedMirror: false, BlueGreenMirror: false, Matches: false, SessionAffinity: false) { ServiceRoutingFields = [] },
        (kube, options, _) => new KumaRouter(kube, options));

    /// <summary>Creates the router over <paramref name="kube"/>.</summary>
    public KumaRouter(IKubernetes kube, TrafficRouterOptions options)
    {
        ArgumentNullException.ThrowIfNull(kube);
        ArgumentNullException.ThrowIfNull(options);
        _routes = new ClusterCustomObjectClient(kube, RouterKinds.KumaTrafficRoute);
        _applier = new ObjectApplier(options.MaxConflictRetries);
    }

    /// <inheritdoc />
    public string Provider => Registration.Name;

    /// <inheritdoc />
    public Task ReconcileAsync(CanaryResource canary, CancellationToken cancellationToken) =>
        _applier.ApplyAsync(_routes, string.Empty, TrafficRouteBuilder.Name(canary), current =>
        {
            if (current is null)
            {
                return TrafficRouteBuilder.Build(canary, RouteState.AllPrimary);
            }

            EnsureOwned(canary, current);
            var desired = TrafficRouteBuilder.Build(canary, TrafficRouteBuilder.ReadRoutes(canary, current) ?? RouteState.AllPrimary);
            var merged = RouteObjects.MergeInto(current, desired, replaceLabels: false);
            if (merged is null && JsonNodes.SemanticEquals(current["mesh"], desired["mesh"]))
            {
                return null;
            }

            merged ??= (JsonObject)current.DeepClone();
            merged["mesh"] = desired["mesh"]?.DeepClone();
            return merged;
        }, cancellationToken);

    /// <inheritdoc />
    public async Task<RouteState> GetRoutesAsync(CanaryResource canary, CancellationToken cancellationToken)
    {
        var names = CanaryNames.Services(canary);
        var name = TrafficRouteBuilder.Name(canary);
        var route = await _routes.GetAsync(string.Empty, name, cancellationToken)
            ?? throw new TrafficRouterException($"TrafficRoute {name} not found");
        var routes = TrafficRouteBuilder.ReadRoutes(canary, route);
        return routes is not { } r || (r.PrimaryWeight == 0 && r.CanaryWeight == 0)
            ? throw new TrafficRouterException($"TrafficRoute {name} does not contain routes for {names.Primary} and {names.Canary}")
            : r;
    }

    /// <inheritdoc />
    public async Task SetRoutesAsync(CanaryResource canary, int primaryWeight, int canaryWeight, bool mirrored, CancellationToken cancellationToken)
    {
        RouteState.Validate(primaryWeight, canaryWeight);
        var spec = TrafficRouteBuilder.Spec(canary, new RouteState(primaryWeight, canaryWeight, false));
        await _applier.UpdateAsync(_routes, string.Empty, TrafficRouteBuilder.Name(canary), current =>
        {
            EnsureOwned(canary, current);
            return RouteObjects.WithSpec(current, spec);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task FinalizeAsync(CanaryResource canary, CancellationToken cancellationToken)
    {
        var name = TrafficRouteBuilder.Name(canary);
        if (await _routes.GetAsync(string.Empty, name, cancellationToken) is { } current && IsOwned(canary, current))
        {
            await _routes.DeleteAsync(name, cancellationToken);
        }
    }

    private static bool IsOwned(CanaryResource canary, JsonObject route) =>
        (string?)route["metadata"]?["annotations"]?[TrafficRouteBuilder.OwnerAnnotation] == TrafficRouteBuilder.Owner(canary);

    private static void EnsureOwned(CanaryResource canary, JsonObject route)
    {
        if (!IsOwned(canary, route))
        {
            var owner = (string?)route["metadata"]?["annotations"]?[TrafficRouteBuilder.OwnerAnnotation];
            throw new TrafficRouterException(
                $"TrafficRoute {TrafficRouteBuilder.Name(canary)} belongs to {(owner is null ? "someone else (no canary.dev/canary annotation)" : "Canary " + owner)}, not to {CanaryNames.Describe(canary)}; delete or rename it");
        }
    }
}
