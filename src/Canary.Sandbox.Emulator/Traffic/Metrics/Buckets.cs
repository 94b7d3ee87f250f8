namespace Canary.Sandbox.Traffic.Metrics;

/// <summary>Each data plane's default histogram bounds, in its own unit.</summary>
internal static class Buckets
{
    /// <summary>Istio's and Envoy's millisecond buckets.</summary>
    public static readonly double[] EnvoyMilliseconds = [0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000];

    /// <summary>The Linkerd proxy's <c>response_latency_ms</c> bounds.</summary>
    public static readonly double[] LinkerdMilliseconds = [1, 2, 3, 4, 5, 10, 20, 30, 40, 50, 100, 200, 300, 400, 500, 1000, 2000, 3000, 4000, 5000, 10000, 20000, 30000, 40000, 50000];

    /// <summary>APISIX's default <c>apisix_http_latency</c> buckets, in milliseconds.</summary>
    public static readonly double[] ApisixMilliseconds = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 30000, 60000];

    /// <summary>Traefik's default request-duration buckets, in seconds.</summary>
    public static readonly double[] TraefikSeconds = [0.1, 0.3, 1.2, 5];

    /// <summary>Prometheus client defaults, in seconds (podinfo's and ingress-nginx's histograms).</summary>
    public static readonly double[] DefaultSeconds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
}
