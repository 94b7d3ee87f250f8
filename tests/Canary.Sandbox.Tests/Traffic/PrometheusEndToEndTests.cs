using Canary.Api.V1Beta1;
using Canary.MetricTemplates.BuiltIn;
using Canary.MetricTemplates.Providers;
using Canary.MetricTemplates.Templates;
using Canary.Sandbox.Demo;
using Canary.Sandbox.Prometheus;
using Xunit.Abstractions;
using CanaryResource = Canary.Api.V1Beta1.Canary;

namespace Canary.Sandbox.Tests.Traffic;

/// <summary>
/// Each provider's built-in queries, rendered for the demo's Canary as the controller renders them, run by a real
/// Prometheus against the simulator's metrics in real time: the success rate is the canary's configured error rate
/// within binomial noise, the duration what the data plane's histogram (or mean, for nginx) makes of its configured
/// latency. The healthy primary carries traffic too, so a query that mixed it in would come out wrong.
/// </summary>
public sealed class PrometheusEndToEndTests(ProviderTrafficFixture fixture, ITestOutputHelper output) : IClassFixture<ProviderTrafficFixture>
{
    // Enough canary requests in the window for a tight estimate (about 5 s of the canary's share).
    private const double MinimumRequests = 5000;

    // Istio's and Envoy's millisecond buckets; the Prometheus client defaults (seconds) of podinfo, in ms.
    private static readonly double[] EnvoyBucketsMs = [0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000];
    private static readonly double[] DefaultBucketsMs = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000];
    private static readonly double[] TraefikBucketsMs = [100, 300, 1200, 5000];
    private static readonly double[] ApisixBucketsMs = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 30000, 60000];
    private static readonly double[] LinkerdBucketsMs = [1, 2, 3, 4, 5, 10, 20, 30, 40, 50, 100, 200, 300, 400, 500, 1000, 2000, 3000, 4000, 5000, 10000];

    [Theory]
    [MemberData(nameof(Objects.DemoProviders), MemberType = typeof(Objects))]
    public async Task Builtin_queries_see_the_canarys_configured_error_rate_and_latency(string provider)
    {
        var ns = fixture.Namespace(provider);
        var canary = fixture.Canary(provider);
        var set = BuiltInMetricTemplates.Find(BuiltInMetricTemplates.SelectProvider(canary.Spec.Provider, DemoProfile.For(provider).MeshProvider))!;
        var successRateQuery = Render(canary, set, BuiltInMetrics.RequestSuccessRate, out var window, Objects.Routes(provider));
        var durationQuery = Render(canary, set, BuiltInMetrics.RequestDuration, out _, Objects.Routes(provider));

        // The canary's requests in the same window, on the series each query reads.
        var requests = await fixture.WaitForAsync(CanaryRequests(provider, ns, window), MinimumRequests);
        var successRate = await fixture.Prometheus.QueryAsync(successRateQuery);
        var duration = await fixture.Prometheus.QueryAsync(durationQuery) * set.DurationToMilliseconds;
        Assert.NotNull(successRate);
        Assert.NotNull(duration);

        // Success: binomial share of 1 - error rate over the requests seen, 4 sigma, in percent.
        var expectedRate = (1 - ProviderTrafficFixture.CanaryErrorRate) * 100;
        var rateTolerance = 4 * Math.Sqrt(ProviderTrafficFixture.CanaryErrorRate * (1 - ProviderTrafficFixture.CanaryErrorRate) / requests) * 100;

        var latency = new LogNormalLatency(ProviderTrafficFixture.CanaryP50Ms, ProviderTrafficFixture.CanaryP99Ms);
        var (expectedDuration, low, high) = set.DurationStatistic == "mean"
            ? MeanBand(latency, requests)
            : P99Band(latency, provider switch { "kubernetes" => DefaultBucketsMs, "linkerd" or "smi:v1alpha1" or "smi:v1alpha2" or "smi:v1alpha3" => LinkerdBucketsMs, "traefik" => TraefikBucketsMs, _ => EnvoyBucketsMs }, requests);

        output.WriteLine($"{provider} ({set.Provider} built-ins, window {window}): {requests:F0} canary requests");
        output.WriteLine($"  success rate {successRate:F2} %, expected {expectedRate:F2} ± {rateTolerance:F2}");
        output.WriteLine($"  {set.DurationStatistic} {duration:F1} ms, expected {expectedDuration:F1} in [{low:F1}, {high:F1}] (configured p50 {latency.P50Ms} ms, p99 {latency.P99Ms} ms)");
        Assert.InRange(successRate!.Value, expectedRate - rateTolerance, expectedRate + rateTolerance);
        Assert.InRange(duration!.Value, low, high);
    }

    [Fact]
    public async Task Apisix_builtin_queries_see_the_canary_routes_mix_of_both_versions()
    {
        // APISIX labels requests by route: the canary ApisixRoute carries both backends (50/50 here), so its built-in
        // queries measure the mix, which is why the apisix demo has no judge.
        var ns = fixture.Namespace("apisix");
        var canary = fixture.Canary("apisix");
        var set = BuiltInMetricTemplates.Find("apisix")!;
        var successRateQuery = Render(canary, set, BuiltInMetrics.RequestSuccessRate, out var window);
        var durationQuery = Render(canary, set, BuiltInMetrics.RequestDuration, out _);

        var requests = await fixture.WaitForAsync($"sum(increase(apisix_http_status{{route=\"{ns}_podinfo-podinfo-canary_podinfo\"}}[{window}]))", 2 * MinimumRequests);
        var successRate = await fixture.Prometheus.QueryAsync(successRateQuery);
        var duration = await fixture.Prometheus.QueryAsync(durationQuery);

        var errorShare = ProviderTrafficFixture.CanaryErrorRate / 2;
        var expectedRate = (1 - errorShare) * 100;
        var rateTolerance = 4 * Math.Sqrt(errorShare * (1 - errorShare) / requests) * 100;
        var canaryLatency = new LogNormalLatency(ProviderTrafficFixture.CanaryP50Ms, ProviderTrafficFixture.CanaryP99Ms);
        var primaryLatency = new LogNormalLatency(10, 50);
        var expectedMs = LogNormalLatency.Interpolate(0.99, ApisixBucketsMs, ms => (canaryLatency.Cdf(ms) + primaryLatency.Cdf(ms)) / 2);
        output.WriteLine($"apisix: {requests:F0} requests on the canary route; success rate {successRate:F2} % (expected {expectedRate:F2} ± {rateTolerance:F2}), p99 {duration:F1} ms (mix expected {expectedMs:F1})");
        Assert.NotNull(successRate);
        Assert.NotNull(duration);
        Assert.InRange(successRate!.Value, expectedRate - rateTolerance, expectedRate + rateTolerance);
        Assert.InRange(duration!.Value, expectedMs * 0.85, expectedMs * 1.15);
        Assert.Null(set.RequestsQuery);
    }

    [Fact]
    public async Task Flaggers_own_linkerd_queries_read_the_simulated_proxies_unchanged()
    {
        // Flagger's Linkerd observer queries as Flagger writes them (not this repository's templates), target = podinfo.
        var ns = fixture.Namespace("linkerd");
        var successRateQuery =
            $"sum(rate(response_total{{namespace=\"{ns}\", deployment=~\"podinfo\", classification!=\"failure\", direction=\"inbound\"}}[1m])) " +
            $"/ sum(rate(response_total{{namespace=\"{ns}\", deployment=~\"podinfo\", direction=\"inbound\"}}[1m])) * 100";
        var latencyQuery = $"histogram_quantile(0.99, sum(rate(response_latency_ms_bucket{{namespace=\"{ns}\", deployment=~\"podinfo\", direction=\"inbound\"}}[1m])) by (le))";

        var requests = await fixture.WaitForAsync(CanaryRequests("linkerd", ns, "1m"), MinimumRequests);
        var successRate = await fixture.Prometheus.QueryAsync(successRateQuery);
        var latencyMs = await fixture.Prometheus.QueryAsync(latencyQuery);

        var expectedRate = (1 - ProviderTrafficFixture.CanaryErrorRate) * 100;
        var rateTolerance = 4 * Math.Sqrt(ProviderTrafficFixture.CanaryErrorRate * (1 - ProviderTrafficFixture.CanaryErrorRate) / requests) * 100;
        var (expectedMs, low, high) = P99Band(new LogNormalLatency(ProviderTrafficFixture.CanaryP50Ms, ProviderTrafficFixture.CanaryP99Ms), LinkerdBucketsMs, requests);
        output.WriteLine($"linkerd (Flagger's queries): {requests:F0} canary requests; success rate {successRate:F2} % (expected {expectedRate:F2} ± {rateTolerance:F2}), p99 {latencyMs:F1} ms (expected {expectedMs:F1} in [{low:F1}, {high:F1}])");
        Assert.NotNull(successRate);
        Assert.NotNull(latencyMs);
        Assert.InRange(successRate!.Value, expectedRate - rateTolerance, expectedRate + rateTolerance);
        Assert.InRange(latencyMs!.Value, low, high);
    }

    [Fact]
    public async Task Missing_binary_is_a_clear_error()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            PrometheusRunner.StartAsync(new Uri("http://127.0.0.1:1/metrics"), new PrometheusRunnerOptions { Binary = "/nonexistent/prometheus" }));
        Assert.Contains("scripts/setup.sh", error.Message, StringComparison.Ordinal);
    }

    /// <summary>The built-in query of <paramref name="metricName"/> as the controller sends it (model from the Canary and the metric).</summary>
    private static string Render(CanaryResource canary, BuiltInMetricSet set, string metricName, out string window, MetricRoutes? routes = null)
    {
        var metric = canary.Spec.Analysis!.Metrics!.Single(m => m.Name == metricName);
        var model = MetricTemplateModel.FromCanary(canary, metric, routes);
        window = model.Interval;
        return PrometheusProvider.CollapseWhitespace(new MetricQueryRenderer().Render(set.QueryFor(metricName)!, model));
    }

    private static string CanaryRequests(string provider, string ns, string window) => provider switch
    {
        "istio" => $"sum(increase(istio_requests_total{{reporter=\"destination\",destination_workload_namespace=\"{ns}\",destination_workload=\"podinfo\"}}[{window}]))",
        "nginx" => $"sum(increase(nginx_ingress_controller_requests{{namespace=\"{ns}\",ingress=\"podinfo\",canary=\"{ns}-podinfo-canary-{Objects.Port}\"}}[{window}]))",
        "gatewayapi" or "contour" => $"sum(increase(envoy_cluster_upstream_rq{{envoy_cluster_name=\"{ns}_podinfo-canary_{Objects.Port}\"}}[{window}]))",
        "knative" => $"sum(increase(envoy_cluster_upstream_rq{{envoy_cluster_name=\"{ns}/{Objects.KnativeRevisions.Canary}\"}}[{window}]))",
        "kubernetes" => $"sum(increase(http_request_duration_seconds_count{{kubernetes_namespace=\"{ns}\",kubernetes_pod_name!~\"podinfo-primary-.*\"}}[{window}]))",
        "gloo" => $"sum(increase(envoy_cluster_upstream_rq{{envoy_cluster_name=\"{Objects.GlooUpstreamName(ns, "podinfo-canary")}_{ns}\"}}[{window}]))",
        "kuma" => $"sum(increase(envoy_cluster_upstream_rq{{service=\"podinfo-canary_{ns}_svc_{Objects.Port}\"}}[{window}]))",
        "skipper" => $"sum(increase(skipper_serve_route_duration_seconds_count{{route=\"kube_{ns.Replace('-', '_')}__podinfo_canary__app_example_com_____podinfo_canary\"}}[{window}]))",
        "traefik" => $"sum(increase(traefik_service_requests_total{{service=\"{ns}-podinfo-canary-{Objects.Port}@kubernetescrd\"}}[{window}]))",
        "linkerd" or "smi:v1alpha1" or "smi:v1alpha2" or "smi:v1alpha3" => $"sum(increase(response_total{{namespace=\"{ns}\",deployment=\"podinfo\",direction=\"inbound\"}}[{window}]))",
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, null),
    };

    /// <summary>The mean of the latency, 4 standard errors over <paramref name="n"/> requests.</summary>
    private static (double Expected, double Low, double High) MeanBand(LogNormalLatency latency, double n)
    {
        var tolerance = 4 * latency.StandardDeviation / Math.Sqrt(n);
        return (latency.Mean, latency.Mean - tolerance, latency.Mean + tolerance);
    }

    /// <summary>
    /// histogram_quantile(0.99) over <paramref name="bucketsMs"/>: the interpolated value of the exact distribution, and
    /// the band the estimate stays in when each bucket's cumulative share is off by up to 4 binomial sigmas of its own
    /// (interpolation is monotone in the shares). One sigma for all bounds would, with the p99 on a bound (Linkerd's
    /// 300 ms), push the upper end past the last bucket.
    /// </summary>
    private static (double Expected, double Low, double High) P99Band(LogNormalLatency latency, double[] bucketsMs, double n) =>
        (latency.HistogramQuantile(0.99, bucketsMs), latency.HistogramQuantile(0.99, bucketsMs, sigmas: 4, n), latency.HistogramQuantile(0.99, bucketsMs, sigmas: -4, n));
}
