using Canary.Api.Support;
using Canary.Api.V1Beta1;
using Canary.Kubernetes.Resources;
using Canary.Providers.Apply;
using Canary.Providers.Builders;
using Canary.Providers.Naming;
using Canary.Providers.Registry;
using Canary.Providers.Routing;
using k8s;

namespace Canary.Providers.Routers;

/// <summary>
/// Providers <c>linkerd</c> and <c>smi:v1alpha1|v1alpha2|v1alpha3</c> (with an optional <c>:&lt;mesh&gt;</c> in the
/// controller's default, e.g. <c>smi:v1alpha2:linkerd</c>): one SMI TrafficSplit <c>&lt;apex&gt;</c> weighting the
/// canary and primary Services (as fluxcd/flagger <c>pkg/router/smi*.go</c>). Weights only: no header matches, no
/// mirroring; blue/green moves all traffic at once.
/// </summary>
/// <remarks>
/// Reconcile keeps the weights on the live split (Flagger resets them to 0/100 whenever another field changed). Linkerd
/// ≥ 2.14 no longer reads TrafficSplit without its SMI extension: there, use <c>gatewayapi:v1beta1</c> with a Service
/// parentRef (GAMMA), see src/Canary.Providers/README.md. Finalize is a no-op: the split is owned by the Canary and
/// garbage-collected.
/// </remarks>
public sealed class SmiRouter : ITrafficRouter
{
    private readonly ApexRoutingObject _split;
    private readonly ResourceKind _resource;
    private readonly string? _targetMesh;

    /// <summary>Creates the router for TrafficSplit version <paramref name="resource"/>, asked for as <paramref name="provider"/>.</summary>
    public SmiRouter(IKubernetes kube, TrafficRouterOptions options, ResourceKind resource, string provider)
    {
        ArgumentNullException.ThrowIfNull(kube);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(provider);
        _resource = resource ?? throw new ArgumentNullException(nameof(resource));
        _split = new ApexRoutingObject(kube, resource, options);
        Provider = provider;
        _targetMesh = TargetMesh(provider);
    }

    /// <summary><c>linkerd</c>: TrafficSplit v1alpha1 for the Linkerd mesh.</summary>
    public static TrafficProvider Linkerd { get; } = Registration(TrafficProviders.Linkerd, RouterKinds.TrafficSplitV1Alpha1, meshSuffix: false);

    /// <summary><c>smi:v1alpha1</c>.</summary>
    public static TrafficProvider V1Alpha1 { get; } = Registration(TrafficProviders.SmiV1Alpha1, RouterKinds.TrafficSplitV1Alpha1, meshSuffix: true);

    /// <summary><c>smi:v1alpha2</c>.</summary>
    public static TrafficProvider V1Alpha2 { get; } = Registration(TrafficProviders.SmiV1Alpha2, RouterKinds.TrafficSplitV1Alpha2, meshSuffix: true);

    /// <summary><c>smi:v1alpha3</c>.</summary>
    public static TrafficProvider V1Alpha3 { get; } = Registration(TrafficProviders.SmiV1Alpha3, RouterKinds.TrafficSplitV1Alpha3, meshSuffix: true);

    /// <inheritdoc />
    public string Provider { get; }

    private static TrafficProvider Registration(string name, ResourceKind resource, bool meshSuffix) => new(
        name, [], [resource], TrafficProvider.ReadWriteRules(resource),
        new ProviderCapabilities(SplitsTraffic: true, WeightedMirror: false, BlueGreenMirror: false, Matches: false, SessionAffinity: false) { ServiceRoutingFields = ["hosts", "gateways"] },
        (kube, options, asked) => new SmiRouter(kube, options, resource, asked))
    {
        AcceptsMeshSuffix = meshSuffix,
    };

    /// <inheritdoc />
    public Task ReconcileAsync(CanaryResource canary, CancellationToken cancellationToken) => _split.ReconcileAsync(
        canary,
        current => TrafficSplitBuilder.ReadRoutes(current, CanaryNames.Services(canary)),
        routes => TrafficSplitBuilder.Build(canary, _resource, routes, _targetMesh),
        (current, desired) => RouteObjects.MergeInto(current, desired, replaceLabels: false),
        cancellationToken);

    /// <inheritdoc />
    public async Task<RouteState> GetRoutesAsync(CanaryResource canary, CancellationToken cancellationToken)
    {
        var names = CanaryNames.Services(canary);
        var ns = CanaryNames.Namespace(canary);
        var split = await _split.GetAsync(canary, cancellationToken);
        var routes = TrafficSplitBuilder.ReadRoutes(split, names)
            ?? throw new TrafficRouterException($"TrafficSplit {names.Apex}.{ns} has no backends {names.Primary} and {names.Canary}");
        return routes is { PrimaryWeight: 0, CanaryWeight: 0 }
            ? throw new TrafficRouterException($"TrafficSplit {names.Apex}.{ns} gives both backends weight 0")
            : routes;
    }

    /// <inheritdoc />
    public async Task SetRoutesAsync(CanaryResource canary, int primaryWeight, int canaryWeight, bool mirrored, CancellationToken cancellationToken)
    {
        RouteState.Validate(primaryWeight, canaryWeight);
        var spec = TrafficSplitBuilder.Spec(canary, _resource, new RouteState(primaryWeight, canaryWeight, false));
        await _split.ReplaceSpecAsync(canary, spec, cancellationToken);
    }

    /// <inheritdoc />
    public Task FinalizeAsync(CanaryResource canary, CancellationToken cancellationToken) => Task.CompletedTask;

    // linkerd → linkerd; smi:v1alpha2:istio → istio; smi:v1alpha2 → none.
    private static string? TargetMesh(string provider)
    {
        if (provider == TrafficProviders.Linkerd)
        {
            return TrafficProviders.Linkerd;
        }

        var parts = provider.Split(':');
        return parts.Length > 2 ? parts[^1] : null;
    }
}
