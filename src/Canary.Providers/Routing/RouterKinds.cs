using Canary.Kubernetes.Resources;

namespace Canary.Providers.Routing;

/// <summary>Which resource types each provider writes, so the controller can watch and cache exactly those.</summary>
public static class RouterKinds
{
    /// <summary>Core Services: apex, primary and canary (every provider), and the apex selector (kubernetes).</summary>
    public static ResourceKind Service { get; } = new(string.Empty, "v1", "services", "Service");

    /// <summary>Ingresses: the NGINX canary Ingress (written) and the user's Ingress (read).</summary>
    public static ResourceKind Ingress { get; } = new("networking.k8s.io", "v1", "ingresses", "Ingress");

    /// <summary>Gateway API HTTPRoute, v1.</summary>
    public static ResourceKind HttpRouteV1 { get; } = new("gateway.networking.k8s.io", "v1", "httproutes", "HTTPRoute");

    /// <summary>Gateway API HTTPRoute, v1beta1.</summary>
    public static ResourceKind HttpRouteV1Beta1 { get; } = new("gateway.networking.k8s.io", "v1beta1", "httproutes", "HTTPRoute");

    /// <summary>Istio VirtualService, networking.istio.io/v1beta1.</summary>
    public static ResourceKind IstioVirtualService { get; } = new("networking.istio.io", "v1beta1", "virtualservices", "VirtualService");

    /// <summary>Istio DestinationRule, networking.istio.io/v1beta1.</summary>
    public static ResourceKind IstioDestinationRule { get; } = new("networking.istio.io", "v1beta1", "destinationrules", "DestinationRule");

    /// <summary>SMI TrafficSplit, split.smi-spec.io/v1alpha1 (Linkerd's; weights are quantities).</summary>
    public static ResourceKind TrafficSplitV1Alpha1 { get; } = new("split.smi-spec.io", "v1alpha1", "trafficsplits", "TrafficSplit");

    /// <summary>SMI TrafficSplit, split.smi-spec.io/v1alpha2.</summary>
    public static ResourceKind TrafficSplitV1Alpha2 { get; } = new("split.smi-spec.io", "v1alpha2", "trafficsplits", "TrafficSplit");

    /// <summary>SMI TrafficSplit, split.smi-spec.io/v1alpha3.</summary>
    public static ResourceKind TrafficSplitV1Alpha3 { get; } = new("split.smi-spec.io", "v1alpha3", "trafficsplits", "TrafficSplit");

    /// <summary>Contour HTTPProxy, projectcontour.io/v1.</summary>
    public static ResourceKind ContourHttpProxy { get; } = new("projectcontour.io", "v1", "httpproxies", "HTTPProxy");

    /// <summary>Traefik TraefikService, traefik.io/v1alpha1 (Traefik ≥ 2.10 and 3).</summary>
    public static ResourceKind TraefikService { get; } = new("traefik.io", "v1alpha1", "traefikservices", "TraefikService");

    /// <summary>Traefik TraefikService in the group Traefik used before 2.10, traefik.containo.us/v1alpha1.</summary>
    public static ResourceKind TraefikServiceContainous { get; } = new("traefik.containo.us", "v1alpha1", "traefikservices", "TraefikService");

    /// <summary>Kuma TrafficRoute, kuma.io/v1alpha1 (cluster-scoped).</summary>
    public static ResourceKind KumaTrafficRoute { get; } = new("kuma.io", "v1alpha1", "trafficroutes", "TrafficRoute");

    /// <summary>Gloo Edge RouteTable, gateway.solo.io/v1.</summary>
    public static ResourceKind GlooRouteTable { get; } = new("gateway.solo.io", "v1", "routetables", "RouteTable");

    /// <summary>Gloo Edge Upstream, gloo.solo.io/v1.</summary>
    public static ResourceKind GlooUpstream { get; } = new("gloo.solo.io", "v1", "upstreams", "Upstream");

    /// <summary>Apache APISIX ApisixRoute, apisix.apache.org/v2.</summary>
    public static ResourceKind ApisixRoute { get; } = new("apisix.apache.org", "v2", "apisixroutes", "ApisixRoute");

    /// <summary>Knative Serving Service, serving.knative.dev/v1: the knative provider's target and routing object.</summary>
    public static ResourceKind KnativeService { get; } = new("serving.knative.dev", "v1", "services", "Service");

    /// <summary>Knative Serving Revision, serving.knative.dev/v1 (read: readiness of the primary and canary revisions).</summary>
    public static ResourceKind KnativeRevision { get; } = new("serving.knative.dev", "v1", "revisions", "Revision");

    /// <summary>Resource types used for <paramref name="provider"/>, Services first; throws for an unsupported provider.</summary>
    public static IReadOnlyList<ResourceKind> For(string provider) =>
        [Service, .. Registry.TrafficProviderRegistry.Default.Resolve(provider).Resources];

    /// <summary>The union over every supported provider (for a controller that serves all of them).</summary>
    public static IReadOnlyList<ResourceKind> All => Registry.TrafficProviderRegistry.Default.AllResources;
}
