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
            _ => throw new ArgumentException($"traffic simulator: unsupported provider '{provider}' (kubernetes, gatewayapi, nginx, istio)", nameof(provider)),
        };
    }
}
