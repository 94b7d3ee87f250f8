using System.Text.Json.Nodes;
using Canary.Api.Support;
using Canary.Kubernetes.Json;
using Canary.Providers.Apply;
using Canary.Providers.Builders;
using Canary.Providers.Naming;
using Canary.Providers.Registry;
using Canary.Providers.Routing;
using k8s;

namespace Canary.Providers.Routers;

/// <summary>
/// Provider <c>istio</c>: VirtualService <c>&lt;apex&gt;</c> splitting traffic between the primary and canary hosts, and
/// DestinationRules <c>&lt;apex&gt;-primary</c> / <c>&lt;apex&gt;-canary</c> carrying <c>service.trafficPolicy</c>
/// (networking.istio.io/v1beta1, as fluxcd/flagger pkg/router/istio.go).
/// </summary>
/// <remarks>
/// Reconcile rebuilds the VirtualService with the weights and mirror currently on it, so they survive (Flagger ignores
/// them when diffing but resets them whenever it rewrites). A VirtualService the Canary did not create is taken over;
/// its previous spec is kept in <see cref="IstioObjectsBuilder.OriginalConfigurationAnnotation"/> unless kubectl's
/// last-applied record exists, and Finalize restores it from one of the two.
/// </remarks>
public sealed class IstioRouter : ITrafficRouter
{
    private readonly CustomObjectClient _virtualServices;
    private readonly CustomObjectClient _destinationRules;
    private readonly ObjectApplier _applier;

    /// <summary>The registration: VirtualService and DestinationRules; weights, matches, mirroring (weighted too) and session affinity.</summary>
    public static TrafficProvider Registration { get; } = new(
        "istio", [], [RouterKinds.IstioVirtualService, RouterKinds.IstioDestinationRule],
        TrafficProvider.ReadWriteRules(RouterKinds.IstioVirtualService, RouterKinds.IstioDestinationRule),
        new ProviderCapabilities(SplitsTraffic: true, WeightedMirror: true, BlueGreenMirror: true, Matches: true, SessionAffinity: true) { ServiceRoutingFields = ["timeout", "gateways", "hosts", "delegation", "trafficPolicy", "match", "rewrite", "retries", "headers", "corsPolicy"] },
        (kube, options, _) => new IstioRouter(kube, options));

    /// <summary>Creates the router over <paramref name="kube"/>.</summary>
    public IstioRouter(IKubernetes kube, TrafficRouterOptions options)
    {
        ArgumentNullException.ThrowIfNull(kube);
        ArgumentNullException.ThrowIfNull(options);
        _virtualServices = new CustomObjectClient(kube, RouterKinds.IstioVirtualService);
        _destinationRules = new CustomObjectClient(kube, RouterKinds.IstioDestinationRule);
        _applier = new ObjectApplier(options.MaxConflictRetries);
    }

    /// <inheritdoc />
    public string Provider => Registration.Name;

    /// <inheritdoc />
    public async Task ReconcileAsync(CanaryResource canary, CancellationToken cancellationToken)
    {
        var ns = CanaryNames.Namespace(canary);
        var names = CanaryNames.Services(canary);
        foreach (var host in (string[])[names.Canary, names.Primary])
        {
            var desired = IstioObjectsBuilder.DestinationRule(canary, host);
            await _applier.ApplyAsync(_destinationRules, ns, host, current =>
                current is null ? desired : RouteObjects.WithSpec(current, (JsonObject)desired["spec"]!), cancellationToken);
        }

        await _applier.ApplyAsync(_virtualServices, ns, names.Apex, current =>
        {
            var routes = current is null ? RouteState.AllPrimary : IstioObjectsBuilder.ReadRoutes(current, names) ?? RouteState.AllPrimary;
            var desired = IstioObjectsBuilder.VirtualService(canary, routes);
            return current is null ? desired : TakeOver(canary, current, desired);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<RouteState> GetRoutesAsync(CanaryResource canary, CancellationToken cancellationToken)
    {
        var ns = CanaryNames.Namespace(canary);
        var names = CanaryNames.Services(canary);
        var virtualService = await _virtualServices.GetAsync(ns, names.Apex, cancellationToken)
            ?? throw new TrafficRouterException($"VirtualService {names.Apex}.{ns} not found");
        return IstioObjectsBuilder.ReadRoutes(virtualService, names)
            ?? throw new TrafficRouterException($"VirtualService {names.Apex}.{ns} does not contain routes for {names.Primary} and {names.Canary}");
    }

    /// <inheritdoc />
    public async Task SetRoutesAsync(CanaryResource canary, int primaryWeight, int canaryWeight, bool mirrored, CancellationToken cancellationToken)
    {
        RouteState.Validate(primaryWeight, canaryWeight);
        var spec = IstioObjectsBuilder.VirtualServiceSpec(canary, new RouteState(primaryWeight, canaryWeight, mirrored));
        await _applier.UpdateAsync(_virtualServices, CanaryNames.Namespace(canary), CanaryNames.Services(canary).Apex, current =>
        {
            // Only the routes change: hosts/gateways stay as the last reconcile wrote them (Flagger rebuilds spec.http only).
            var merged = (JsonObject)current["spec"]!.DeepClone();
            merged.Remove("http");
            merged.Remove("tcp");
            foreach (var key in (string[])["http", "tcp"])
            {
                if (spec[key] is { } routes)
                {
                    merged[key] = routes.DeepClone();
                }
            }

            return RouteObjects.WithSpec(current, merged);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task FinalizeAsync(CanaryResource canary, CancellationToken cancellationToken)
    {
        var ns = CanaryNames.Namespace(canary);
        await _applier.ApplyAsync(_virtualServices, ns, CanaryNames.Services(canary).Apex, current =>
        {
            if (current is null || ObjectMetadata.IsOwnedBy(current, canary) || OriginalSpec(current) is not { } original)
            {
                return null;
            }

            var restored = (JsonObject)current.DeepClone();
            restored["spec"] = original;
            (restored["metadata"]?["annotations"] as JsonObject)?.Remove(IstioObjectsBuilder.OriginalConfigurationAnnotation);
            return restored;
        }, cancellationToken);
    }

    // Writes the desired spec over a live VirtualService, first recording the user's spec when we did not create it.
    private static JsonObject? TakeOver(CanaryResource canary, JsonObject current, JsonObject desired)
    {
        var merged = RouteObjects.MergeInto(current, desired, replaceLabels: true);
        if (merged is null || ObjectMetadata.IsOwnedBy(current, canary) || OriginalSpec(current) is not null)
        {
            return merged;
        }

        var annotations = JsonNodes.ChildObject(JsonNodes.ChildObject(merged, "metadata"), "annotations");
        annotations[IstioObjectsBuilder.OriginalConfigurationAnnotation] = current["spec"]?.ToJsonString() ?? "{}";
        return merged;
    }

    private static JsonNode? OriginalSpec(JsonObject virtualService)
    {
        var annotations = JsonNodes.ReadMap(virtualService["metadata"]?["annotations"]);
        try
        {
            if (annotations.TryGetValue(ObjectMetadata.LastAppliedConfiguration, out var applied) && JsonNode.Parse(applied)?["spec"] is { } spec)
            {
                return spec.DeepClone();
            }

            return annotations.TryGetValue(IstioObjectsBuilder.OriginalConfigurationAnnotation, out var original) ? JsonNode.Parse(original) : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null; // unreadable record: leave the VirtualService as it is rather than guess
        }
    }
}
