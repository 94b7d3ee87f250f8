namespace Canary.Providers.Routing;

/// <summary>Provider names this library implements, and the mapping of accepted spellings to them.</summary>
public static class ProviderNames
{
    public const string Kubernetes = "kubernetes";
    public const string GatewayApi = "gatewayapi";
    public const string GatewayApiV1 = "gatewayapi:v1";
    public const string GatewayApiV1Beta1 = "gatewayapi:v1beta1";
    public const string Nginx = "nginx";
    public const string Istio = "istio";

    /// <summary>Every accepted <c>spec.provider</c> value.</summary>
    public static IReadOnlyList<string> Supported { get; } = [Kubernetes, GatewayApi, GatewayApiV1, GatewayApiV1Beta1, Nginx, Istio];

    /// <summary>
    /// The implementation a provider name selects: <c>gatewayapi</c> means <c>gatewayapi:v1</c>. Unknown names throw
    /// (Flagger silently falls back to Istio, which hides typos until traffic goes nowhere).
    /// </summary>
    public static string Canonical(string? provider) => provider switch
    {
        Kubernetes => Kubernetes,
        GatewayApi or GatewayApiV1 => GatewayApiV1,
        GatewayApiV1Beta1 => GatewayApiV1Beta1,
        Nginx => Nginx,
        Istio => Istio,
        null or "" => throw new TrafficRouterException(
            $"no traffic provider: set spec.provider or the controller's default provider (supported: {string.Join(", ", Supported)})"),
        _ => throw new TrafficRouterException(
            $"traffic provider '{provider}' is not supported (supported: {string.Join(", ", Supported)})"),
    };
}
