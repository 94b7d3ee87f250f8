using System.Text.Json.Nodes;
using Canary.Api.Support;
using Canary.Kubernetes.Resources;
using Canary.Providers.Apply;
using Canary.Providers.Builders;
using Canary.Providers.Naming;
using Canary.Providers.Registry;
using Canary.Providers.Routing;
using k8s;

namespace Canary.Providers.Routers;

/// <summary>
/// Provider <c>gatewayapi:v1</c> / <c>gatewayapi:v1beta1</c>: one HTTPRoute <c>&lt;apex&gt;</c> splitting traffic between
/// the primary and canary Services by backendRef weight (as fluxcd/flagger pkg/router/gateway_api.go).
/// </summary>
/// <remarks>
/// Reconcile rebuilds the spec with the weights (and mirroring) currently on the route, so a change to the Canary
/// never resets a running split (Flagger resets to 100/0 whenever another field changed). Labels come from
/// <c>service.apex</c>; annotations from <c>service.apex</c> are merged over the live ones, so other controllers'
/// annotations survive. GetRoutes fails while a parent reports <c>Accepted</c> other than True or a stale
/// observedGeneration; a parent with no status entry passes unless
/// <see cref="TrafficRouterOptions.GatewayApiRequireParentStatus"/> is set (no Gateway controller writes status on
/// the sandbox API server). Finalize is a no-op: the route is owned by the Canary and garbage-collected.
/// </remarks>
public sealed class GatewayApiRouter : ITrafficRouter
{
    private readonly ApexRoutingObject _route;
    private readonly ResourceKind _resource;
    private readonly bool _requireParentStatus;

    /// <summary>The registration of HTTPRoute v1 (also answers to plain <c>gatewayapi</c>); mirroring for blue/green only, as Flagger.</summary>
    public static TrafficProvider RegistrationV1 { get; } = Registration("gatewayapi:v1", ["gatewayapi"], RouterKinds.HttpRouteV1);

    /// <summary>The registration of HTTPRoute v1beta1.</summary>
    public static TrafficProvider RegistrationV1Beta1 { get; } = Registration("gatewayapi:v1beta1", [], RouterKinds.HttpRouteV1Beta1);

    /// <summary>Creates the router for HTTPRoute version <paramref name="resource"/> (v1 or v1beta1).</summary>
    public GatewayApiRouter(IKubernetes kube, TrafficRouterOptions options, ResourceKind resource, string provider)
    {
        ArgumentNullException.ThrowIfNull(kube);
        ArgumentNullException.ThrowIfNull(options);
        _resource = resource ?? throw new ArgumentNullException(nameof(resource));
        _route = new ApexRoutingObject(kube, resource, options);
        _requireParentStatus = options.GatewayApiRequireParentStatus;
        Provider = provider;
    }

    /// <inheritdoc />
    public string Provider { get; }

    private static TrafficProvider Registration(string name, IReadOnlyList<string> aliases, ResourceKind resource) => new(
        name, aliases, [resource], TrafficProvider.ReadWriteRules(resource),
        new ProviderCapabilities(SplitsTraffic: true, WeightedMirror: false, BlueGreenMirror: true, Matches: true, SessionAffinity: true) { ServiceRoutingFields = ["timeout", "backendTimeout", "gatewayRefs", "hosts", "match", "rewrite", "headers", "mirror", "corsPolicy"], MatchFieldsUsed = ["uri", "method", "headers", "queryParams"], CheckMatches = MatchRules.GatewayApi },
        (kube, options, asked) => new GatewayApiRouter(kube, options, resource, asked));

    /// <inheritdoc />
    public Task ReconcileAsync(CanaryResource canary, CancellationToken cancellationToken) => _route.ReconcileAsync(
        canary,
        current => HttpRouteBuilder.ReadRoutes(current, CanaryNames.Services(canary)),
        routes => HttpRouteBuilder.Build(canary, _resource, routes),
        (current, desired) => RouteObjects.MergeInto(current, desired, replaceLabels: true),
        cancellationToken);

    /// <inheritdoc />
    public async Task<RouteState> GetRoutesAsync(CanaryResource canary, CancellationToken cancellationToken)
    {
        var names = CanaryNames.Services(canary);
        var ns = CanaryNames.Namespace(canary);
        var route = await _route.GetAsync(canary, cancellationToken);
        CheckParentsAccepted(route, names.Apex, ns);
        return HttpRouteBuilder.ReadRoutes(route, names)
            ?? throw new TrafficRouterException(
                $"HTTPRoute {names.Apex}.{ns} has no rule with backendRefs {names.Primary} and {names.Canary}");
    }

    /// <inheritdoc />
    public async Task SetRoutesAsync(CanaryResource canary, int primaryWeight, int canaryWeight, bool mirrored, CancellationToken cancellationToken)
    {
        RouteState.Validate(primaryWeight, canaryWeight);
        var spec = HttpRouteBuilder.Spec(canary, new RouteState(primaryWeight, canaryWeight, mirrored), HttpRouteBuilder.PrimaryCookieSupported(_resource));
        await _route.ReplaceSpecAsync(canary, spec, cancellationToken);
    }

    /// <inheritdoc />
    public Task FinalizeAsync(CanaryResource canary, CancellationToken cancellationToken) => Task.CompletedTask;

    private void CheckParentsAccepted(JsonObject route, string name, string ns)
    {
        var generation = (long?)route["metadata"]?["generation"] ?? 0;
        var statuses = route["status"]?["parents"] as JsonArray ?? [];
        foreach (var parent in route["spec"]?["parentRefs"] as JsonArray ?? [])
        {
            var status = statuses.FirstOrDefault(s => SameParent(s?["parentRef"], parent, ns));
            if (status is null)
            {
                if (_requireParentStatus)
                {
                    throw new TrafficRouterException($"HTTPRoute {name}.{ns} parent {(string?)parent?["name"]} has not reported status yet");
                }

                continue;
            }

            var accepted = (status["conditions"] as JsonArray ?? []).FirstOrDefault(c => (string?)c?["type"] == "Accepted");
            var observed = (long?)accepted?["observedGeneration"] ?? 0;
            if (accepted is null || (string?)accepted["status"] != "True" || observed < generation)
            {
                throw new TrafficRouterException(
                    $"HTTPRoute {name}.{ns} parent {(string?)parent?["name"]} is not ready (status: {(string?)accepted?["status"] ?? "unknown"}, " +
                    $"observed generation: {observed}, current generation: {generation})");
            }
        }
    }

    private static bool SameParent(JsonNode? reported, JsonNode? wanted, string routeNamespace) =>
        reported is not null && wanted is not null &&
        (string?)reported["name"] == (string?)wanted["name"] &&
        ((string?)reported["namespace"] ?? routeNamespace) == ((string?)wanted["namespace"] ?? routeNamespace) &&
        (string?)reported["sectionName"] == (string?)wanted["sectionName"] &&
        (int?)reported["port"] == (int?)wanted["port"];
}
