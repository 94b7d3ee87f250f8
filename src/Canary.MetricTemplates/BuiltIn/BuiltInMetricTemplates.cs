using Canary.Api.V1Beta1;

namespace Canary.MetricTemplates.BuiltIn;

/// <summary>
/// Lookup of the built-in metric queries by traffic provider name. Mapping (Flagger's observer factory, with one
/// documented divergence):
/// <list type="bullet">
/// <item>istio, linkerd, nginx, contour, appmesh(:v1beta2), gloo*, traefik, kuma, osm, apisix, skipper: their own data plane's metrics.</item>
/// <item>kubernetes: the application's <c>http_request_duration_seconds</c> (Flagger's HttpObserver).</item>
/// <item>gatewayapi, gatewayapi:v1, gatewayapi:v1beta1: Envoy cluster metrics of the canary Service
/// (<c>&lt;ns&gt;_&lt;service&gt;-canary_*</c>, as Contour's Gateway provisioner names them, the setup of Flagger's Gateway API
/// tutorial). Flagger 1.44 uses the HttpObserver here, which needs application metrics most Gateway API users lack.
/// Envoy Gateway names clusters per route rule (<c>httproute/ns/name/rule/0</c>), which cannot tell the canary from the
/// primary: such users need a MetricTemplate.</item>
/// <item>knative: Envoy cluster metrics of the revisions (<c>{{ route }}</c> is the Knative Service's latest revision).</item>
/// <item>anything else (smi:*, empty): istio, as Flagger.</item>
/// </list>
/// </summary>
public static class BuiltInMetricTemplates
{
    /// <summary>Provider used when neither the Canary nor the controller names one (Flagger's default mesh).</summary>
    public const string DefaultProvider = TrafficProviders.Istio;

    private static readonly Dictionary<string, BuiltInMetricSet> ByProvider = new[]
    {
        IstioQueries.Set, LinkerdQueries.Set, NginxQueries.Set, EnvoyClusterQueries.Contour, EnvoyClusterQueries.GatewayApi,
        HttpQueries.Set, AppMeshQueries.Set, GlooQueries.Set, TraefikQueries.Set, KumaQueries.Set, OsmQueries.Set, ApisixQueries.Set,
        SkipperQueries.Set, KnativeQueries.Set,
    }.ToDictionary(s => s.Provider, StringComparer.Ordinal);

    /// <summary>Every built-in set, one per observer.</summary>
    public static IReadOnlyCollection<BuiltInMetricSet> All => ByProvider.Values;

    /// <summary>
    /// The observer Flagger would pick: the Canary's <c>spec.provider</c> if set, else the controller's default;
    /// the linkerd observer whenever the controller's default contains "linkerd".
    /// </summary>
    public static string SelectProvider(string? canaryProvider, string? defaultProvider)
    {
        if (string.IsNullOrWhiteSpace(canaryProvider))
        {
            return string.IsNullOrWhiteSpace(defaultProvider) ? DefaultProvider : defaultProvider;
        }

        return defaultProvider?.Contains(TrafficProviders.Linkerd, StringComparison.Ordinal) == true
            ? TrafficProviders.Linkerd
            : canaryProvider;
    }

    /// <summary>The observer name a provider maps to (gatewayapi:v1 → gatewayapi, gloo:x → gloo, unknown → istio).</summary>
    public static string ObserverFor(string? provider)
    {
        var name = (provider ?? string.Empty).Trim().ToLowerInvariant();
        return name switch
        {
            _ when TrafficProviders.IsGatewayApi(name) => TrafficProviders.GatewayApi,
            _ when name.StartsWith(TrafficProviders.AppMesh, StringComparison.Ordinal) => TrafficProviders.AppMesh,
            _ when name.StartsWith(TrafficProviders.Gloo, StringComparison.Ordinal) => TrafficProviders.Gloo,
            _ when ByProvider.ContainsKey(name) => name,
            _ => DefaultProvider,
        };
    }

    /// <summary>The built-in set for <paramref name="provider"/> (every provider has one, an unknown name Istio's).</summary>
    public static BuiltInMetricSet Find(string? provider) => ByProvider[ObserverFor(provider)];
}
