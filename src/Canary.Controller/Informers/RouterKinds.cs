namespace Canary.Controller.Informers;

/// <summary>
/// The routing kinds each traffic provider writes (and so the controller caches), as Flagger's routers use them.
/// Extra kinds can be registered in DI as <see cref="CustomResourceKind"/> singletons.
/// </summary>
public static class RouterKinds
{
    private static readonly CustomResourceKind VirtualService = new("networking.istio.io", "v1beta1", "virtualservices", "VirtualService");
    private static readonly CustomResourceKind DestinationRule = new("networking.istio.io", "v1beta1", "destinationrules", "DestinationRule");
    private static readonly CustomResourceKind TrafficSplit = new("split.smi-spec.io", "v1alpha2", "trafficsplits", "TrafficSplit");
    private static readonly CustomResourceKind Ingress = new("networking.k8s.io", "v1", "ingresses", "Ingress");

    /// <summary>Kinds for a <c>--mesh-provider</c> value (a <c>:version</c> suffix picks the Gateway API version).</summary>
    public static IReadOnlyList<CustomResourceKind> For(string meshProvider)
    {
        ArgumentNullException.ThrowIfNull(meshProvider);
        var parts = meshProvider.Split(':', 2);
        return parts[0] switch
        {
            "istio" => [VirtualService, DestinationRule],
            "linkerd" or "smi" or "osm" => [TrafficSplit],
            "appmesh" => [new("appmesh.k8s.aws", "v1beta2", "virtualnodes", "VirtualNode"), new("appmesh.k8s.aws", "v1beta2", "virtualservices", "VirtualService"), new("appmesh.k8s.aws", "v1beta2", "virtualrouters", "VirtualRouter")],
            "contour" => [new("projectcontour.io", "v1", "httpproxies", "HTTPProxy")],
            "gloo" => [new("gateway.solo.io", "v1", "routetables", "RouteTable"), new("gloo.solo.io", "v1", "upstreams", "Upstream")],
            "nginx" or "skipper" => [Ingress],
            "traefik" => [new("traefik.io", "v1alpha1", "traefikservices", "TraefikService")],
            "kuma" => [new("kuma.io", "v1alpha1", "trafficroutes", "TrafficRoute")],
            "gatewayapi" => [new("gateway.networking.k8s.io", parts.Length > 1 ? parts[1] : "v1", "httproutes", "HTTPRoute")],
            "apisix" => [new("apisix.apache.org", "v2", "apisixroutes", "ApisixRoute")],
            "knative" => [new("serving.knative.dev", "v1", "services", "Service")],
            _ => [],
        };
    }
}
