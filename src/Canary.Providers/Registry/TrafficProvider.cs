using Canary.Api.Support;
using Canary.Kubernetes.Resources;
using Canary.Providers.Routing;
using k8s;

namespace Canary.Providers.Registry;

/// <summary>
/// Everything the controller knows about one traffic provider, in one place: the name and aliases it answers to, the
/// resource types it writes (so informers cache them), the RBAC rules those need (kept in step with manifests/ by a
/// test), what it can do, the observer of its built-in metric queries, and how to create its router.
/// </summary>
/// <param name="Name">Canonical name, e.g. <c>gatewayapi:v1</c>.</param>
/// <param name="Aliases">Other accepted spellings, e.g. <c>gatewayapi</c>.</param>
/// <param name="Resources">Resource types the router reads or writes besides the core Services every provider uses.</param>
/// <param name="Rules">RBAC rules those resources need.</param>
/// <param name="Capabilities">What the provider can do.</param>
/// <param name="Create">Creates the router over a client with the controller's options, for the name it was asked by.</param>
public sealed record TrafficProvider(
    string Name,
    IReadOnlyList<string> Aliases,
    IReadOnlyList<ResourceKind> Resources,
    IReadOnlyList<RbacRule> Rules,
    ProviderCapabilities Capabilities,
    Func<IKubernetes, TrafficRouterOptions, string, ITrafficRouter> Create)
{
    /// <summary>
    /// Also answers to its names followed by <c>:&lt;mesh&gt;</c> (Flagger's <c>smi:v1alpha2:linkerd</c> spelling of
    /// <c>-mesh-provider</c>); the router gets the whole name.
    /// </summary>
    public bool AcceptsMeshSuffix { get; init; }

    /// <summary>Routes through a copy of the user's Ingress named by <c>spec.ingressRef</c> (nginx, skipper).</summary>
    public bool UsesIngressRef { get; init; }

    /// <summary>Routes through a copy of the user's ApisixRoute named by <c>spec.routeRef</c> (apisix).</summary>
    public bool UsesRouteRef { get; init; }

    /// <summary>The name and every alias.</summary>
    public IEnumerable<string> Names => Aliases.Prepend(Name);

    /// <summary>Read/write rules for each of <paramref name="resources"/>, grouped per API group as a ClusterRole writes them.</summary>
    public static IReadOnlyList<RbacRule> ReadWriteRules(params ResourceKind[] resources) =>
        [.. resources.Select(r => new RbacRule(r.Group, r.Plural, RbacRule.ReadWrite))];
}
