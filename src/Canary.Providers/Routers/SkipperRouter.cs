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
/// Provider <c>skipper</c> (Zalando's Skipper ingress): a canary Ingress <c>&lt;ingressRef.name&gt;-canary</c> with
/// paths to both the primary and the canary Service, weighted by <c>zalando.org/backend-weights</c> (as fluxcd/flagger
/// <c>pkg/router/skipper.go</c>).
/// </summary>
/// <remarks>
/// Reconcile re-syncs the spec and the user's annotations from the user's Ingress and keeps the weights on the canary
/// Ingress (Flagger resets them to 100/0 whenever the spec changed). Weights only: Skipper's A/B predicates are not
/// written (Flagger's router has none either). Finalize disables the canary Ingress (<c>False()</c>) so the user's
/// Ingress serves everything again; the Ingress itself is owned by the Canary and garbage-collected (Flagger deletes
/// it, which would need the delete verb this controller never holds).
/// </remarks>
public sealed class SkipperRouter : ITrafficRouter
{
    private readonly IngressClient _ingresses;
    private readonly ObjectApplier _applier;

    /// <summary>The registration: the canary Ingress beside the user's; weights and blue/green, no matches, no mirroring.</summary>
    public static TrafficProvider Registration { get; } = new(
        TrafficProviders.Skipper, [], [RouterKinds.Ingress], TrafficProvider.ReadWriteRules(RouterKinds.Ingress),
        new ProviderCapabilities(SplitsTraffic: true, WeightedMirror: false, BlueGreenMirror: false, Matches: false, SessionAffinity: false) { ServiceRoutingFields = [] },
        (kube, options, _) => new SkipperRouter(kube, options))
    {
        UsesIngressRef = true,
    };

    /// <summary>Creates the router over <paramref name="kube"/>.</summary>
    public SkipperRouter(IKubernetes kube, TrafficRouterOptions options)
    {
        ArgumentNullException.ThrowIfNull(kube);
        ArgumentNullException.ThrowIfNull(options);
        _ingresses = new IngressClient(kube);
        _applier = new ObjectApplier(options.MaxConflictRetries);
    }

    /// <inheritdoc />
    public string Provider => Registration.Name;

    /// <inheritdoc />
    public async Task ReconcileAsync(CanaryResource canary, CancellationToken cancellationToken)
    {
        var ns = CanaryNames.Namespace(canary);
        var refName = IngressRef(canary);
        var original = await _ingresses.GetAsync(ns, refName, cancellationToken)
            ?? throw new TrafficRouterException($"ingress {refName}.{ns} not found (spec.ingressRef)");
        await _applier.ApplyAsync(_ingresses, ns, CanaryNames.CanaryIngress(refName), current =>
        {
            if (current is null)
            {
                return SkipperIngressBuilder.Build(canary, original, RouteState.AllPrimary);
            }

            var desired = SkipperIngressBuilder.Build(canary, original, CurrentRoutes(canary, current));
            var annotations = new Dictionary<string, string>(current.Metadata.Annotations ?? new Dictionary<string, string>(), StringComparer.Ordinal);
            foreach (var (key, value) in desired.Metadata.Annotations)
            {
                annotations[key] = value;
            }

            if (JsonNodes.SemanticEquals(JsonNodes.FromKube(current.Spec), JsonNodes.FromKube(desired.Spec))
                && JsonNodes.SemanticEquals(JsonNodes.Map(annotations), JsonNodes.Map(current.Metadata.Annotations ?? new Dictionary<string, string>())))
            {
                return null;
            }

            current.Spec = desired.Spec;
            current.Metadata.Annotations = annotations;
            return current;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<RouteState> GetRoutesAsync(CanaryResource canary, CancellationToken cancellationToken)
    {
        var ns = CanaryNames.Namespace(canary);
        var name = CanaryNames.CanaryIngress(IngressRef(canary));
        var ingress = await _ingresses.GetAsync(ns, name, cancellationToken)
            ?? throw new TrafficRouterException($"ingress {name}.{ns} not found");
        return SkipperIngressBuilder.ReadRoutes(canary, ingress);
    }

    /// <inheritdoc />
    public async Task SetRoutesAsync(CanaryResource canary, int primaryWeight, int canaryWeight, bool mirrored, CancellationToken cancellationToken)
    {
        RouteState.Validate(primaryWeight, canaryWeight);
        await SetAnnotationsAsync(canary, new RouteState(primaryWeight, canaryWeight, false), mustExist: true, cancellationToken);
    }

    /// <inheritdoc />
    public Task FinalizeAsync(CanaryResource canary, CancellationToken cancellationToken) =>
        SetAnnotationsAsync(canary, RouteState.AllPrimary, mustExist: false, cancellationToken);

    private async Task SetAnnotationsAsync(CanaryResource canary, RouteState routes, bool mustExist, CancellationToken cancellationToken)
    {
        var ns = CanaryNames.Namespace(canary);
        var name = CanaryNames.CanaryIngress(IngressRef(canary));
        if (!mustExist && await _ingresses.GetAsync(ns, name, cancellationToken) is null)
        {
            return;
        }

        await _applier.UpdateAsync(_ingresses, ns, name, current =>
        {
            var annotations = SkipperIngressBuilder.RouteAnnotations(canary, current.Metadata.Annotations, routes);
            if (JsonNodes.SemanticEquals(JsonNodes.Map(annotations), JsonNodes.Map(current.Metadata.Annotations ?? new Dictionary<string, string>())))
            {
                return null;
            }

            current.Metadata.Annotations = annotations;
            return current;
        }, cancellationToken);
    }

    // A canary Ingress whose weights were edited away is rebuilt with all traffic on the primary.
    private static RouteState CurrentRoutes(CanaryResource canary, k8s.Models.V1Ingress current)
    {
        try
        {
            return SkipperIngressBuilder.ReadRoutes(canary, current);
        }
        catch (TrafficRouterException)
        {
            return RouteState.AllPrimary;
        }
    }

    private static string IngressRef(CanaryResource canary) => CanaryNames.IngressRef(canary, "skipper");
}
