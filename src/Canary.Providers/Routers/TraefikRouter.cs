using System.Runtime.CompilerServices;
using Canary.Api.Support;
using Canary.Api.V1Beta1;
using Canary.Kubernetes.Errors;
using Canary.Kubernetes.Resources;
using Canary.Providers.Apply;
using Canary.Providers.Builders;
using Canary.Providers.Naming;
using Canary.Providers.Registry;
using Canary.Providers.Routing;
using k8s;

namespace Canary.Providers.Routers;

/// <summary>
/// Provider <c>traefik</c>: one TraefikService <c>&lt;apex&gt;</c> weighting the primary and canary Services (as
/// fluxcd/flagger <c>pkg/router/traefik.go</c>), in the API group the cluster serves: <c>traefik.io</c> (Traefik ≥ 2.10),
/// else <c>traefik.containo.us</c> (older Traefik).
/// </summary>
/// <remarks>
/// The group is found by listing TraefikServices in each group once per API client and kept once one answers (so a
/// cluster that gains the CRD later is picked up, and a known cluster costs no extra request). Reconcile keeps the
/// weights on the live object. Weights only: no header matches, no mirroring. Finalize is a no-op: the object is owned
/// by the Canary and garbage-collected.
/// </remarks>
public sealed class TraefikRouter : ITrafficRouter
{
    private static readonly ConditionalWeakTable<IKubernetes, StrongBox<ResourceKind?>> ServedGroups = [];
    private static readonly ResourceKind[] Groups = [RouterKinds.TraefikService, RouterKinds.TraefikServiceContainous];

    private readonly IKubernetes _kube;
    private readonly TrafficRouterOptions _options;

    /// <summary>The registration: weights and blue/green; no A/B matches, no mirroring, no session affinity.</summary>
    public static TrafficProvider Registration { get; } = new(
        TrafficProviders.Traefik, [], Groups, TrafficProvider.ReadWriteRules(Groups),
        new ProviderCapabilities(SplitsTraffic: true, WeightedMirror: false, BlueGreenMirror: false, Matches: false, SessionAffinity: false) { ServiceRoutingFields = [] },
        (kube, options, _) => new TraefikRouter(kube, options));

    /// <summary>Creates the router over <paramref name="kube"/>.</summary>
    public TraefikRouter(IKubernetes kube, TrafficRouterOptions options)
    {
        _kube = kube ?? throw new ArgumentNullException(nameof(kube));
        _options = options ?? throw new ArgumentNullException(nameof(options));
    }

    /// <inheritdoc />
    public string Provider => Registration.Name;

    /// <inheritdoc />
    public async Task ReconcileAsync(CanaryResource canary, CancellationToken cancellationToken)
    {
        var resource = await ServedKindAsync(canary, cancellationToken);
        await new ApexRoutingObject(_kube, resource, _options).ReconcileAsync(
            canary,
            current => TraefikServiceBuilder.ReadRoutes(current, CanaryNames.Services(canary)),
            routes => TraefikServiceBuilder.Build(canary, resource, routes),
            (current, desired) => RouteObjects.MergeInto(current, desired, replaceLabels: false),
            cancellationToken);
    }

    /// <inheritdoc />
    public async Task<RouteState> GetRoutesAsync(CanaryResource canary, CancellationToken cancellationToken)
    {
        var names = CanaryNames.Services(canary);
        var service = await new ApexRoutingObject(_kube, await ServedKindAsync(canary, cancellationToken), _options).GetAsync(canary, cancellationToken);
        return TraefikServiceBuilder.ReadRoutes(service, names)
            ?? throw new TrafficRouterException($"TraefikService {names.Apex}.{CanaryNames.Namespace(canary)} has no service {names.Primary}");
    }

    /// <inheritdoc />
    public async Task SetRoutesAsync(CanaryResource canary, int primaryWeight, int canaryWeight, bool mirrored, CancellationToken cancellationToken)
    {
        RouteState.Validate(primaryWeight, canaryWeight);
        if (primaryWeight == 0 && canaryWeight == 0)
        {
            throw new TrafficRouterException($"TraefikService {CanaryNames.Services(canary).Apex}.{CanaryNames.Namespace(canary)} update failed: no valid weights");
        }

        var spec = TraefikServiceBuilder.Spec(canary, new RouteState(primaryWeight, canaryWeight, false));
        await new ApexRoutingObject(_kube, await ServedKindAsync(canary, cancellationToken), _options).ReplaceSpecAsync(canary, spec, cancellationToken);
    }

    /// <inheritdoc />
    public Task FinalizeAsync(CanaryResource canary, CancellationToken cancellationToken) => Task.CompletedTask;

    // The first group whose TraefikServices can be listed in the Canary's namespace; 404 = not served.
    private async Task<ResourceKind> ServedKindAsync(CanaryResource canary, CancellationToken cancellationToken)
    {
        var known = ServedGroups.GetOrCreateValue(_kube);
        if (known.Value is { } resource)
        {
            return resource;
        }

        foreach (var candidate in Groups)
        {
            try
            {
                await _kube.CustomObjects.ListNamespacedCustomObjectAsync(
                    candidate.Group, candidate.Version, CanaryNames.Namespace(canary), candidate.Plural, limit: 1, cancellationToken: cancellationToken);
                known.Value = candidate;
                return candidate;
            }
            catch (Exception e) when (KubeErrors.IsNotFound(e))
            {
            }
        }

        throw new TrafficRouterException(
            $"TraefikService is not served by the API server ({string.Join(" or ", Groups.Select(g => g.ApiVersion))}): install Traefik's CRDs");
    }
}
