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
/// Provider <c>gloo</c> (Gloo Edge): a kube Upstream per generated Service and one RouteTable <c>&lt;apex&gt;</c>
/// weighting them (as fluxcd/flagger <c>pkg/router/gloo.go</c>, see <see cref="GlooObjectsBuilder"/>). The user's
/// VirtualService delegates to the RouteTable.
/// </summary>
/// <remarks>
/// Reconcile keeps the weights on the live RouteTable and re-syncs every copied setting of <c>spec.upstreamRef</c> into
/// both Upstreams (Flagger re-syncs only <c>loadBalancerConfig</c> after creation). A missing config Upstream is an
/// error naming <c>spec.upstreamRef</c>. Finalize is a no-op: every object is owned by the Canary.
/// </remarks>
public sealed class GlooRouter : ITrafficRouter
{
    private readonly ApexRoutingObject _routeTable;
    private readonly CustomObjectClient _upstreams;
    private readonly ServiceClient _services;
    private readonly ObjectApplier _applier;

    /// <summary>The registration: weights, A/B matches and blue/green; no mirroring, no session affinity.</summary>
    public static TrafficProvider Registration { get; } = new(
        TrafficProviders.Gloo, [], [RouterKinds.GlooRouteTable, RouterKinds.GlooUpstream],
        TrafficProvider.ReadWriteRules(RouterKinds.GlooRouteTable, RouterKinds.GlooUpstream),
        new ProviderCapabilities(SplitsTraffic: true, WeightedMirror: false, BlueGreenMirror: false, Matches: true, SessionAffinity: false) { ServiceRoutingFields = [], MatchFieldsUsed = ["headers", "queryParams", "method"], CheckMatches = MatchRules.Gloo },
        (kube, options, _) => new GlooRouter(kube, options));

    /// <summary>Creates the router over <paramref name="kube"/>.</summary>
    public GlooRouter(IKubernetes kube, TrafficRouterOptions options)
    {
        ArgumentNullException.ThrowIfNull(kube);
        ArgumentNullException.ThrowIfNull(options);
        _routeTable = new ApexRoutingObject(kube, RouterKinds.GlooRouteTable, options);
        _upstreams = new CustomObjectClient(kube, RouterKinds.GlooUpstream);
        _services = new ServiceClient(kube);
        _applier = new ObjectApplier(options.MaxConflictRetries);
    }

    /// <inheritdoc />
    public string Provider => Registration.Name;

    /// <inheritdoc />
    public async Task ReconcileAsync(CanaryResource canary, CancellationToken cancellationToken)
    {
        var config = await ConfigUpstreamAsync(canary, cancellationToken);
        var names = CanaryNames.Services(canary);
        await ApplyUpstreamAsync(canary, forCanary: false, names.Primary, config, cancellationToken);
        await ApplyUpstreamAsync(canary, forCanary: true, names.Canary, config, cancellationToken);
        await _routeTable.ReconcileAsync(
            canary,
            current => GlooObjectsBuilder.ReadRoutes(canary, current),
            routes => GlooObjectsBuilder.RouteTable(canary, routes),
            (current, desired) => RouteObjects.MergeInto(current, desired, replaceLabels: false),
            cancellationToken);
    }

    /// <inheritdoc />
    public async Task<RouteState> GetRoutesAsync(CanaryResource canary, CancellationToken cancellationToken) =>
        GlooObjectsBuilder.ReadRoutes(canary, await _routeTable.GetAsync(canary, cancellationToken))
            ?? throw new TrafficRouterException($"RouteTable {CanaryNames.Services(canary).Apex}.{CanaryNames.Namespace(canary)} destinations not found");

    /// <inheritdoc />
    public async Task SetRoutesAsync(CanaryResource canary, int primaryWeight, int canaryWeight, bool mirrored, CancellationToken cancellationToken)
    {
        RouteState.Validate(primaryWeight, canaryWeight);
        if (primaryWeight == 0 && canaryWeight == 0)
        {
            throw new TrafficRouterException($"RouteTable {CanaryNames.Services(canary).Apex}.{CanaryNames.Namespace(canary)} update failed: no valid weights");
        }

        await _routeTable.ReplaceSpecAsync(canary, GlooObjectsBuilder.RouteTableSpec(canary, new RouteState(primaryWeight, canaryWeight, false)), cancellationToken);
    }

    /// <inheritdoc />
    public Task FinalizeAsync(CanaryResource canary, CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task ApplyUpstreamAsync(CanaryResource canary, bool forCanary, string serviceName, JsonObject? config, CancellationToken cancellationToken)
    {
        var ns = CanaryNames.Namespace(canary);
        var service = await _services.GetAsync(ns, serviceName, cancellationToken)
            ?? throw new TrafficRouterException($"service {serviceName}.{ns} not found (the Gloo upstream {GlooObjectsBuilder.UpstreamName(canary, forCanary)} points at it)");
        var selector = service.Spec?.Selector is { Count: > 0 } s ? JsonNodes.Map(s) : null;
        var desired = GlooObjectsBuilder.Upstream(canary, forCanary, serviceName, selector, config);
        await _applier.ApplyAsync(_upstreams, ns, GlooObjectsBuilder.UpstreamName(canary, forCanary), current =>
            current is null ? desired : RouteObjects.MergeInto(current, desired, replaceLabels: false), cancellationToken);
    }

    private async Task<JsonObject?> ConfigUpstreamAsync(CanaryResource canary, CancellationToken cancellationToken)
    {
        if (canary.Spec.UpstreamRef is not { } reference)
        {
            return null;
        }

        var ns = reference.Namespace is { Length: > 0 } n ? n : CanaryNames.Namespace(canary);
        return await _upstreams.GetAsync(ns, reference.Name ?? string.Empty, cancellationToken)
            ?? throw new TrafficRouterException($"upstream {reference.Name}.{ns} not found (spec.upstreamRef)");
    }
}
