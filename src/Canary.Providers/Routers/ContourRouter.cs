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
/// Provider <c>contour</c>: one HTTPProxy <c>&lt;apex&gt;</c> (projectcontour.io/v1) weighting the primary and canary
/// Services, with header-matched A/B routes (as fluxcd/flagger <c>pkg/router/contour.go</c>). The HTTPProxy has no
/// virtualhost: a root HTTPProxy of the user includes it, as in Flagger's Contour tutorial.
/// </summary>
/// <remarks>
/// Reconcile keeps the weights on the live proxy (Flagger resets them whenever another field changed). Flagger's
/// <c>-ingress-class</c> annotation is not written (this controller has no such flag). Finalize is a no-op: the proxy is
/// owned by the Canary and garbage-collected.
/// </remarks>
public sealed class ContourRouter : ITrafficRouter
{
    private readonly ApexRoutingObject _proxy;

    /// <summary>The registration: weights, A/B header matches, blue/green; no mirroring, no session affinity.</summary>
    public static TrafficProvider Registration { get; } = new(
        TrafficProviders.Contour, [], [RouterKinds.ContourHttpProxy], TrafficProvider.ReadWriteRules(RouterKinds.ContourHttpProxy),
        new ProviderCapabilities(SplitsTraffic: true, WeightedMirror: false, BlueGreenMirror: false, Matches: true, SessionAffinity: false) { ServiceRoutingFields = ["timeout", "retries", "match"], MatchFieldsUsed = ["headers"], CheckMatches = MatchRules.Contour },
        (kube, options, _) => new ContourRouter(kube, options));

    /// <summary>Creates the router over <paramref name="kube"/>.</summary>
    public ContourRouter(IKubernetes kube, TrafficRouterOptions options)
    {
        ArgumentNullException.ThrowIfNull(kube);
        ArgumentNullException.ThrowIfNull(options);
        _proxy = new ApexRoutingObject(kube, RouterKinds.ContourHttpProxy, options);
    }

    /// <inheritdoc />
    public string Provider => Registration.Name;

    /// <inheritdoc />
    public Task ReconcileAsync(CanaryResource canary, CancellationToken cancellationToken) => _proxy.ReconcileAsync(
        canary,
        current => HttpProxyBuilder.ReadRoutes(current, CanaryNames.Services(canary)),
        routes => HttpProxyBuilder.Build(canary, RouterKinds.ContourHttpProxy, routes),
        (current, desired) => RouteObjects.MergeInto(current, desired, replaceLabels: false),
        cancellationToken);

    /// <inheritdoc />
    public async Task<RouteState> GetRoutesAsync(CanaryResource canary, CancellationToken cancellationToken)
    {
        var names = CanaryNames.Services(canary);
        var ns = CanaryNames.Namespace(canary);
        return HttpProxyBuilder.ReadRoutes(await _proxy.GetAsync(canary, cancellationToken), names)
            ?? throw new TrafficRouterException($"HTTPProxy {names.Apex}.{ns} services not found");
    }

    /// <inheritdoc />
    public async Task SetRoutesAsync(CanaryResource canary, int primaryWeight, int canaryWeight, bool mirrored, CancellationToken cancellationToken)
    {
        RouteState.Validate(primaryWeight, canaryWeight);
        var names = CanaryNames.Services(canary);
        if (primaryWeight == 0 && canaryWeight == 0)
        {
            throw new TrafficRouterException($"HTTPProxy {names.Apex}.{CanaryNames.Namespace(canary)} update failed: no valid weights");
        }

        var spec = HttpProxyBuilder.Spec(canary, new RouteState(primaryWeight, canaryWeight, false));
        await _proxy.ReplaceSpecAsync(canary, spec, cancellationToken);
    }

    /// <inheritdoc />
    public Task FinalizeAsync(CanaryResource canary, CancellationToken cancellationToken) => Task.CompletedTask;
}
