using System.Text.Json.Nodes;
using Canary.Providers.Registry;

namespace Canary.Sandbox.Demo;

/// <summary>
/// What the demo does differently per traffic provider: the Canary's service section, the objects the user owns
/// beside the Deployment, the simulated clients, and how the latency check is judged.
/// </summary>
public sealed record DemoProfile
{
    /// <summary>Providers the demo knows, the default first.</summary>
    public static IReadOnlyList<string> Names { get; } = ["gatewayapi", "nginx", "istio", "kubernetes", "linkerd", "contour", "traefik", "skipper", "kuma", "gloo", "apisix", "knative", "smi:v1alpha1", "smi:v1alpha2", "smi:v1alpha3"];

    /// <summary>The provider as written in <c>spec.provider</c>.</summary>
    public required string Provider { get; init; }

    /// <summary>
    /// The controller's <c>--mesh-provider</c>: the provider itself, or for <c>smi:*</c> Flagger's
    /// <c>smi:&lt;version&gt;:linkerd</c>, which makes the built-in checks read Linkerd's metrics.
    /// </summary>
    public string MeshProvider => _meshProvider ?? Provider;

    private string? _meshProvider;

    /// <summary>True for blue/green (iterations, all-or-nothing switch) instead of weighted steps.</summary>
    public bool BlueGreen { get; init; }

    /// <summary>Upper bound of the request-duration check, in milliseconds.</summary>
    public int DurationThresholdMs { get; init; } = 500;

    /// <summary>What the built-in request-duration query measures for this provider (p99, or mean for nginx).</summary>
    public string DurationStatistic { get; init; } = "p99";

    /// <summary>Name of the user's ApisixRoute (apisix only): the Canary's <c>routeRef</c>.</summary>
    public string? ApisixRoute { get; init; }

    /// <summary>
    /// False where the data plane's metrics cannot tell the canary from the primary (apisix: by route only), so there are
    /// no built-in judge queries and the checks are the thresholds alone.
    /// </summary>
    public bool Judge { get; init; } = true;

    /// <summary>
    /// True when the app is a Knative Service (knative): the user's object is a <c>serving.knative.dev/v1</c> Service whose
    /// template each release changes, and Knative runs each revision (the sandbox's simulated Knative Serving).
    /// </summary>
    public bool KnativeService { get; init; }

    /// <summary>Where the checks read the app's metrics: <see cref="PrometheusMetrics"/> (the data plane's, built in) or <see cref="InfluxDbMetrics"/>.</summary>
    public string Metrics { get; init; } = PrometheusMetrics;

    /// <summary>The built-in checks on the data plane's metrics, scraped by Prometheus.</summary>
    public const string PrometheusMetrics = "prometheus";

    /// <summary>MetricTemplates of type influxdb: InfluxQL over the totals each workload pushes to a real InfluxDB.</summary>
    public const string InfluxDbMetrics = "influxdb";

    /// <summary>MetricTemplates of type graphite: render targets over the totals each workload pushes to a real Graphite.</summary>
    public const string GraphiteMetrics = "graphite";

    /// <summary>The metric stores <c>--metrics</c> accepts.</summary>
    public static IReadOnlyList<string> MetricStores { get; } = [PrometheusMetrics, GraphiteMetrics, InfluxDbMetrics];

    /// <summary>
    /// This profile with its checks on <paramref name="store"/>: on InfluxDB or Graphite, MetricTemplates over the pushed
    /// totals with thresholds only (the totals have no histograms for the judge), the duration a mean. Refused for a Knative Service,
    /// whose pods are named by revision.
    /// </summary>
    public DemoProfile WithMetrics(string store) => store switch
    {
        PrometheusMetrics => this,
        InfluxDbMetrics or GraphiteMetrics when KnativeService => throw new ArgumentException($"demo: --metrics {store} needs a Deployment target; the knative demo's workloads are its revisions", nameof(store)),
        InfluxDbMetrics or GraphiteMetrics => this with { Metrics = store, Judge = false, DurationStatistic = "mean", DurationThresholdMs = 50 },
        _ => throw new ArgumentException($"demo: unknown metric store '{store}' (one of {string.Join(", ", MetricStores)})", nameof(store)),
    };

    /// <summary>Name of the user's Ingress (nginx, skipper).</summary>
    public string? Ingress { get; init; }

    /// <summary>
    /// The profile of <paramref name="provider"/>, any name or alias the provider registry knows; throws for a name it does
    /// not know, or a registered provider the demo has no profile for yet.
    /// </summary>
    public static DemoProfile For(string provider)
    {
        var name = (provider ?? string.Empty).Trim().ToLowerInvariant();
        var registered = TrafficProviderRegistry.Default.Find(name)
            ?? throw new ArgumentException($"demo: '{provider}' is not a traffic provider (one of {string.Join(", ", TrafficProviderRegistry.Default.Names)})", nameof(provider));
        return ForRegistered(registered.Name)
            ?? throw new ArgumentException($"demo: no demo profile for provider '{registered.Name}' yet (one of {string.Join(", ", Names)})", nameof(provider));
    }

    // Keyed by the registry's canonical name (aliases resolved), which is what the demo Canary names.
    private static DemoProfile? ForRegistered(string canonical) => canonical switch
    {
        "gatewayapi:v1" or "gatewayapi:v1beta1" => new DemoProfile { Provider = canonical },
        "istio" => new DemoProfile { Provider = "istio" },

        // Flagger's built-in nginx query is a mean, but the judge reads the response-duration histogram, so the demo's
        // request-duration ceiling applies to the p99 as with the other providers.
        "nginx" => new DemoProfile { Provider = "nginx", Ingress = DemoManifests.AppName },
        "kubernetes" => new DemoProfile { Provider = "kubernetes", BlueGreen = true },

        // SMI TrafficSplit through simulated Linkerd proxies; the built-in checks read Linkerd's response_total/latency.
        "linkerd" => new DemoProfile { Provider = "linkerd" },

        // The same TrafficSplit in each SMI version through simulated Linkerd; the controller runs with Flagger's
        // smi:<version>:linkerd so its built-in checks are Linkerd's (an smi:* provider alone maps to Istio's, as Flagger).
        "smi:v1alpha1" or "smi:v1alpha2" or "smi:v1alpha3" => new DemoProfile { Provider = canonical, _meshProvider = canonical + ":linkerd" },

        // An HTTPProxy weighted between the primary and canary Services; Contour's Envoy cluster metrics.
        "contour" => new DemoProfile { Provider = "contour" },

        // A TraefikService weighted between the primary and canary Services (the user's IngressRoute points at it);
        // Traefik's service metrics, whose duration histogram has 4 buckets (0.1, 0.3, 1.2, 5 s).
        "traefik" => new DemoProfile { Provider = "traefik" },

        // The canary Ingress beside the user's, weighted by zalando.org/backend-weights; Skipper's route metrics, whose
        // built-in duration is a mean (the judge reads the route histogram's p99).
        "skipper" => new DemoProfile { Provider = "skipper", Ingress = DemoManifests.AppName },

        // A cluster-scoped Kuma TrafficRoute splitting the apex service; the data-plane proxies' Envoy metrics.
        "kuma" => new DemoProfile { Provider = "kuma" },

        // A RouteTable weighting the two generated Upstreams (the user's VirtualService delegates to it); Gloo's Envoy
        // cluster metrics per upstream.
        "gloo" => new DemoProfile { Provider = "gloo" },

        // The canary ApisixRoute beside the user's. APISIX labels requests by route, so the checks read the canary
        // route's mix of both versions with thresholds only (no judge), diluted by the canary's share: v4's 1.5 s p99
        // shows as a few hundred ms in the mix, hence a 200 ms ceiling (the healthy p99 is 50 ms).
        "apisix" => new DemoProfile { Provider = "apisix", ApisixRoute = DemoManifests.AppName, Judge = false, DurationThresholdMs = 200 },

        // The user's Knative Service splits its traffic between the primary revision and the latest one; the checks read
        // the Envoy cluster of each revision (<ns>/<revision>).
        "knative" => new DemoProfile { Provider = "knative", KnativeService = true },
        _ => null,
    };

    /// <summary>The Canary's <c>spec.service</c> for this provider.</summary>
    internal JsonObject Service()
    {
        // Knative makes each revision's Services itself, so only the (required) port is given.
        var service = KnativeService
            ? new JsonObject { ["port"] = DemoManifests.Port }
            : new JsonObject { ["port"] = DemoManifests.Port, ["targetPort"] = DemoManifests.Port };
        if (Provider.StartsWith("gatewayapi", StringComparison.Ordinal))
        {
            // The sandbox runs no Gateway: the router only references it, and the simulated Envoy assumes traffic enters it.
            service["gatewayRefs"] = new JsonArray(new JsonObject { ["name"] = "public-gateway", ["namespace"] = "gateway-system" });
            service["hosts"] = new JsonArray("podinfo.example.com");
        }

        return service;
    }
}
