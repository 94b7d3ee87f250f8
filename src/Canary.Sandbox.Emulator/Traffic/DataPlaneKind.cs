namespace Canary.Sandbox.Traffic;

/// <summary>The data plane a provider name stands for: how requests are routed and which metrics it exports.</summary>
internal enum DataPlaneKind
{
    /// <summary>kube-proxy: the apex Service's selector decides; only application metrics.</summary>
    Kubernetes,

    /// <summary>Envoy programmed from an HTTPRoute; Envoy cluster metrics.</summary>
    GatewayApi,

    /// <summary>ingress-nginx with a canary Ingress; nginx_ingress_controller_* metrics.</summary>
    Nginx,

    /// <summary>Istio sidecars programmed from a VirtualService; istio_* metrics.</summary>
    Istio,

    /// <summary>Linkerd proxies programmed from an SMI TrafficSplit; Linkerd's response_total / response_latency_ms.</summary>
    Linkerd,

    /// <summary>Contour's Envoy programmed from an HTTPProxy; Envoy cluster metrics.</summary>
    Contour,

    /// <summary>Traefik programmed from a TraefikService; Traefik's service metrics.</summary>
    Traefik,

    /// <summary>Skipper reading the user's and the canary Ingress; Skipper's route metrics.</summary>
    Skipper,

    /// <summary>Kuma data-plane proxies programmed from a TrafficRoute; their Envoy metrics labelled by Kuma service.</summary>
    Kuma,

    /// <summary>Gloo Edge's Envoy programmed from a RouteTable and its Upstreams; Envoy cluster metrics per upstream.</summary>
    Gloo,

    /// <summary>The APISIX ingress programmed from ApisixRoutes; APISIX's route metrics.</summary>
    Apisix,

    /// <summary>Knative's ingress programmed from the Knative Service's status.traffic; Envoy cluster metrics per revision.</summary>
    Knative,
}

internal static class DataPlaneKinds
{
    public static DataPlaneKind Parse(string provider)
    {
        var name = (provider ?? string.Empty).Trim().ToLowerInvariant();
        return name switch
        {
            "kubernetes" => DataPlaneKind.Kubernetes,
            "nginx" => DataPlaneKind.Nginx,
            "istio" => DataPlaneKind.Istio,
            "gatewayapi" or "gatewayapi:v1" or "gatewayapi:v1beta1" => DataPlaneKind.GatewayApi,
            "linkerd" => DataPlaneKind.Linkerd,
            "contour" => DataPlaneKind.Contour,
            "traefik" => DataPlaneKind.Traefik,
            "skipper" => DataPlaneKind.Skipper,
            "kuma" => DataPlaneKind.Kuma,
            "gloo" => DataPlaneKind.Gloo,
            "apisix" => DataPlaneKind.Apisix,
            "knative" => DataPlaneKind.Knative,
            _ when IsSmi(name) => DataPlaneKind.Linkerd,
            _ => throw new ArgumentException($"traffic simulator: unsupported provider '{provider}' (kubernetes, gatewayapi, nginx, istio, linkerd, smi:v1alpha1|2|3[:mesh], contour, traefik, skipper, kuma, gloo, apisix, knative)", nameof(provider)),
        };
    }

    // smi:v1alpha1, smi:v1alpha2, smi:v1alpha3, each optionally followed by :<mesh>.
    private static bool IsSmi(string name) =>
        name.Split(':') is ["smi", "v1alpha1" or "v1alpha2" or "v1alpha3", ..] parts && parts.Length <= 3;
}
