using Canary.Api.Support;
using Canary.Kubernetes.Json;
using Canary.Providers.Apply;
using Canary.Providers.Builders;
using Canary.Providers.Naming;
using Canary.Providers.Registry;
using Canary.Providers.Routing;
using k8s;
using k8s.Models;

namespace Canary.Providers.Routers;

/// <summary>
/// Provider <c>nginx</c> (ingress-nginx): a canary Ingress <c>&lt;ingressRef.name&gt;-canary</c> cloned from the user's
/// Ingress with its backends pointed at <c>&lt;apex&gt;-canary</c>; traffic is split by NGINX canary annotations.
/// </summary>
/// <remarks>
/// Reconcile re-syncs only the spec from the user's Ingress; the annotations (the routing state) are left to
/// SetRoutes, so weights survive. No mirroring (NGINX has none); Finalize is a no-op (the canary Ingress is owned by the
/// Canary and garbage-collected). The annotation prefix is <see cref="TrafficRouterOptions.NginxAnnotationPrefix"/>.
/// </remarks>
public sealed class NginxRouter : ITrafficRouter
{
    private readonly IngressClient _ingresses;
    private readonly ObjectApplier _applier;
    private readonly string _prefix;

    /// <summary>The registration: the canary Ingress beside the user's, weights and header/cookie matches, no mirroring.</summary>
    public static TrafficProvider Registration { get; } = new(
        "nginx", [], [RouterKinds.Ingress], TrafficProvider.ReadWriteRules(RouterKinds.Ingress),
        new ProviderCapabilities(SplitsTraffic: true, WeightedMirror: false, BlueGreenMirror: false, Matches: true, SessionAffinity: false) { ServiceRoutingFields = [], MatchFieldsUsed = ["headers"], CheckMatches = MatchRules.Nginx },
        (kube, options, _) => new NginxRouter(kube, options))
    {
        UsesIngressRef = true,
    };

    /// <summary>Creates the router over <paramref name="kube"/>.</summary>
    public NginxRouter(IKubernetes kube, TrafficRouterOptions options)
    {
        ArgumentNullException.ThrowIfNull(kube);
        ArgumentNullException.ThrowIfNull(options);
        _ingresses = new IngressClient(kube);
        _applier = new ObjectApplier(options.MaxConflictRetries);
        _prefix = options.NginxAnnotationPrefix;
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
        var desired = CanaryIngressBuilder.Build(canary, original, _prefix);
        await _applier.ApplyAsync(_ingresses, ns, desired.Metadata.Name, current =>
        {
            if (current is null)
            {
                return desired;
            }

            if (JsonNodes.SemanticEquals(JsonNodes.FromKube(current.Spec), JsonNodes.FromKube(desired.Spec)))
            {
                return null;
            }

            current.Spec = desired.Spec;
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
        return CanaryIngressBuilder.ReadRoutes(canary, ingress, _prefix);
    }

    /// <inheritdoc />
    public async Task SetRoutesAsync(CanaryResource canary, int primaryWeight, int canaryWeight, bool mirrored, CancellationToken cancellationToken)
    {
        RouteState.Validate(primaryWeight, canaryWeight);
        var ns = CanaryNames.Namespace(canary);
        await _applier.UpdateAsync(_ingresses, ns, CanaryNames.CanaryIngress(IngressRef(canary)), current =>
        {
            var annotations = CanaryIngressBuilder.RouteAnnotations(canary, current.Metadata.Annotations, _prefix, canaryWeight);
            if (JsonNodes.SemanticEquals(JsonNodes.Map(annotations), JsonNodes.Map(current.Metadata.Annotations ?? new Dictionary<string, string>())))
            {
                return null;
            }

            current.Metadata.Annotations = annotations;
            return current;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task FinalizeAsync(CanaryResource canary, CancellationToken cancellationToken) => Task.CompletedTask;

    private static string IngressRef(CanaryResource canary) => CanaryNames.IngressRef(canary, "nginx");
}
