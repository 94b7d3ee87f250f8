using System.Text.Json.Nodes;
using Canary.Kubernetes.Resources;
using Canary.Providers.Naming;
using Canary.Providers.Routing;
using k8s;

namespace Canary.Providers.Apply;

/// <summary>
/// The one routing object a provider keeps per Canary, named after the apex Service (HTTPRoute, TrafficSplit,
/// HTTPProxy): the reads and writes every such router shares, through <see cref="ObjectApplier"/>.
/// </summary>
internal sealed class ApexRoutingObject(IKubernetes kube, ResourceKind resource, TrafficRouterOptions options)
{
    private readonly CustomObjectClient _client = new(kube, resource, options.Cache);
    private readonly ObjectApplier _applier = new(options.MaxConflictRetries);

    /// <summary>
    /// Creates the object with all traffic on the primary, or rebuilds it with the split it carries now (so a reconcile
    /// never moves traffic) and lays that over the live object with <paramref name="overlay"/> (null = nothing to write).
    /// </summary>
    public Task ReconcileAsync(
        CanaryResource canary,
        Func<JsonObject, RouteState?> readRoutes,
        Func<RouteState, JsonObject> build,
        Func<JsonObject, JsonObject, JsonObject?> overlay,
        CancellationToken cancellationToken) =>
        _applier.ApplyAsync(_client, CanaryNames.Namespace(canary), CanaryNames.Services(canary).Apex, current =>
            current is null ? build(RouteState.AllPrimary) : overlay(current, build(readRoutes(current) ?? RouteState.AllPrimary)),
            cancellationToken);

    /// <summary>The live object; a missing one is a <see cref="TrafficRouterException"/> naming it.</summary>
    public async Task<JsonObject> GetAsync(CanaryResource canary, CancellationToken cancellationToken)
    {
        var (ns, apex) = (CanaryNames.Namespace(canary), CanaryNames.Services(canary).Apex);
        return await _client.GetAsync(ns, apex, cancellationToken) ?? throw new TrafficRouterException($"{resource.Kind} {apex}.{ns} not found");
    }

    /// <summary>Replaces the spec of the existing object (SetRoutes); nothing is written when it is already that.</summary>
    public Task ReplaceSpecAsync(CanaryResource canary, JsonObject spec, CancellationToken cancellationToken) =>
        _applier.UpdateAsync(_client, CanaryNames.Namespace(canary), CanaryNames.Services(canary).Apex, current =>
            RouteObjects.WithSpec(current, spec), cancellationToken);
}
