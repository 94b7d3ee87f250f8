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
/// Provider <c>knative</c>: the user's Knative Service (the Canary's target) splits its traffic between its latest
/// revision (the canary) and the revision named by <c>canary.dev/primary-revision</c> (the primary) in
/// <c>spec.traffic</c>, as fluxcd/flagger <c>pkg/router/knative.go</c>. No primary workload and no Services are made:
/// Knative runs each revision itself.
/// </summary>
/// <remarks>
/// Divergences: the routes are read from <c>spec.traffic</c> (Flagger reads <c>status.traffic</c>, which lags each
/// write); a split that does not add up to 100 is refused here rather than by Knative's webhook; Finalize (deletion with
/// revertOnDeletion) also gives all traffic back to the latest revision, Knative's default, where Flagger leaves it
/// pinned to the last primary revision so that later deployments of the Service never receive traffic.
/// </remarks>
public sealed class KnativeRouter : ITrafficRouter
{
    private readonly KnativeServiceClient _services;

    /// <summary>The registration: weights and blue/green on a Knative Service target; no matches, no mirroring.</summary>
    public static TrafficProvider Registration { get; } = new(
        TrafficProviders.Knative, [], [RouterKinds.KnativeService, RouterKinds.KnativeRevision],
        [
            // The user's Service is only ever updated (spec.traffic and one annotation), never created or deleted.
            new RbacRule(RouterKinds.KnativeService.Group, RouterKinds.KnativeService.Plural, ["get", "list", "watch", "update"]),
            new RbacRule(RouterKinds.KnativeRevision.Group, RouterKinds.KnativeRevision.Plural, ["get", "list", "watch"]),
        ],
        new ProviderCapabilities(SplitsTraffic: true, WeightedMirror: false, BlueGreenMirror: false, Matches: false, SessionAffinity: false) { ServiceRoutingFields = [] },
        (kube, options, _) => new KnativeRouter(kube, options));

    /// <summary>Creates the router over <paramref name="kube"/>.</summary>
    public KnativeRouter(IKubernetes kube, TrafficRouterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _services = new KnativeServiceClient(kube, options.MaxConflictRetries);
    }

    /// <inheritdoc />
    public string Provider => Registration.Name;

    /// <inheritdoc />
    /// <remarks>Names the latest revision as primary when no revision is named yet (the target's initialization does it first).</remarks>
    public Task ReconcileAsync(CanaryResource canary, CancellationToken cancellationToken) =>
        _services.UpdateAsync(CanaryNames.Namespace(canary), CanaryNames.Target(canary), service =>
        {
            if (KnativeTrafficBuilder.PrimaryRevision(service) is not null)
            {
                return null;
            }

            var latest = KnativeTrafficBuilder.LatestCreatedRevision(service)
                ?? throw new TrafficRouterException($"Knative Service {Describe(canary)} has no revision yet (status.latestCreatedRevisionName is empty)");
            return (latest, KnativeTrafficBuilder.Traffic(latest, RouteState.AllPrimary));
        }, cancellationToken);

    /// <inheritdoc />
    public async Task<RouteState> GetRoutesAsync(CanaryResource canary, CancellationToken cancellationToken)
    {
        var service = await _services.GetServiceAsync(CanaryNames.Namespace(canary), CanaryNames.Target(canary), cancellationToken)
            ?? throw new TrafficRouterException($"Knative Service {Describe(canary)} not found");
        if (KnativeTrafficBuilder.PrimaryRevision(service) is null)
        {
            throw new TrafficRouterException($"Knative Service {Describe(canary)} has no {KnativeTrafficBuilder.PrimaryRevisionAnnotation} annotation");
        }

        return KnativeTrafficBuilder.ReadRoutes(service)
            ?? throw new TrafficRouterException($"Knative Service {Describe(canary)} spec.traffic does not split between the latest and the primary revision");
    }

    /// <inheritdoc />
    public Task SetRoutesAsync(CanaryResource canary, int primaryWeight, int canaryWeight, bool mirrored, CancellationToken cancellationToken)
    {
        RouteState.Validate(primaryWeight, canaryWeight);
        if (primaryWeight + canaryWeight != 100)
        {
            throw new TrafficRouterException($"Knative Service {Describe(canary)}: the split {primaryWeight}/{canaryWeight} does not add up to 100, which Knative refuses");
        }

        return _services.UpdateAsync(CanaryNames.Namespace(canary), CanaryNames.Target(canary), service =>
        {
            var primary = KnativeTrafficBuilder.PrimaryRevision(service)
                ?? throw new TrafficRouterException($"Knative Service {Describe(canary)} has no {KnativeTrafficBuilder.PrimaryRevisionAnnotation} annotation");
            return (primary, KnativeTrafficBuilder.Traffic(primary, new RouteState(primaryWeight, canaryWeight, false)));
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task FinalizeAsync(CanaryResource canary, CancellationToken cancellationToken)
    {
        var (ns, name) = (CanaryNames.Namespace(canary), CanaryNames.Target(canary));
        if (await _services.GetServiceAsync(ns, name, cancellationToken) is null)
        {
            return;
        }

        await _services.UpdateAsync(ns, name, _ => (null, KnativeTrafficBuilder.LatestOnly()), cancellationToken);
    }

    private static string Describe(CanaryResource canary) => $"{CanaryNames.Target(canary)}.{CanaryNames.Namespace(canary)}";
}
