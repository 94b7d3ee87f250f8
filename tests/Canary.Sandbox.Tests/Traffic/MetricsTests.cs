using System.Text.RegularExpressions;
using Canary.Sandbox.ApiServer.Resources;
using Canary.Sandbox.Traffic;
using Canary.Sandbox.Traffic.Metrics;
using Canary.Sandbox.Workloads;
using Xunit.Abstractions;

namespace Canary.Sandbox.Tests.Traffic;

/// <summary>Error-rate annotations and the /metrics text each built-in query reads, scraped over HTTP.</summary>
public sealed class MetricsTests(TrafficClusterFixture fixture, ITestOutputHelper output) : IClassFixture<TrafficClusterFixture>
{

    [Fact]
    public async Task Error_rate_annotation_gives_that_share_of_5xx_on_the_workloads_series()
    {
        var ns = await fixture.PodinfoAsync(canaryAnnotations: new() { [SandboxAnnotations.ErrorRate] = "0.08" });
        fixture.Store.Create(Objects.HttpRoutes, ns, Objects.HttpRoute(ns, 50, 50));
        await using var run = await SimulatorRun.StartAsync(fixture.Store, new TrafficApp { Namespace = ns, Name = "podinfo", Provider = "gatewayapi", RequestsPerSecond = 200 });
        await run.WaitForRoutesAsync(r => r[0].Backends.All(b => b.ReadyPods == 2));

        var stats = run.Run(TimeSpan.FromMinutes(1));

        var canary = stats.ByWorkload("podinfo");
        var canaryErrors = stats.Count(k => k.Workload == "podinfo" && k.StatusCode >= 500);
        output.WriteLine($"canary 5xx: {canaryErrors}/{canary} = {(double)canaryErrors / canary:P2}");
        Stats.AssertBinomial(canaryErrors, canary, 0.08, "canary 5xx share");
        Assert.Equal(0, stats.Count(k => k.Workload == "podinfo-primary" && k.StatusCode >= 500));

        // The same share on the series the gatewayapi query reads (Envoy cluster of the canary Service).
        var samples = Scrape(run.Simulator);
        var cluster = samples.Where(s => s.Name == "envoy_cluster_upstream_rq" && s.Label("envoy_cluster_name") == $"{ns}_podinfo-canary_9898").ToList();
        Assert.Equal(canary, (long)cluster.Sum(s => s.Value));
        Assert.Equal(canaryErrors, (long)cluster.Where(s => s.Label("envoy_response_code").StartsWith('5')).Sum(s => s.Value));
    }

    [Fact]
    public async Task Linkerd_inbound_proxies_count_each_deployments_answers_with_their_classification()
    {
        var ns = await fixture.PodinfoAsync(canaryAnnotations: new() { [SandboxAnnotations.ErrorRate] = "0.1" });
        fixture.Store.Create(Objects.TrafficSplits, ns, Objects.TrafficSplit(ns, "v1alpha1", 50, 50));
        await using var run = await SimulatorRun.StartAsync(fixture.Store, new TrafficApp { Namespace = ns, Name = "podinfo", Provider = "linkerd", RequestsPerSecond = 200 });
        await run.WaitForRoutesAsync(r => r[0].Backends.Count == 2 && r[0].Backends.All(b => b.ReadyPods == 2));

        var stats = run.Run(TimeSpan.FromMinutes(1));

        var samples = Scrape(run.Simulator);
        var responses = samples.Where(s => s.Name == "response_total" && s.Label("namespace") == ns).ToList();
        Assert.All(responses, s => Assert.Equal("inbound", s.Label("direction")));
        var canary = responses.Where(s => s.Label("deployment") == "podinfo").ToList();
        Assert.Equal(stats.ByWorkload("podinfo"), (long)canary.Sum(s => s.Value));
        Assert.Equal(
            stats.Count(k => k.Workload == "podinfo" && k.StatusCode >= 500),
            (long)canary.Where(s => s.Label("classification") == "failure").Sum(s => s.Value));
        Assert.All(canary.Where(s => s.Label("classification") == "failure"), s => Assert.StartsWith("5", s.Label("status_code"), StringComparison.Ordinal));
        Assert.Equal(stats.ByWorkload("podinfo-primary"), (long)responses.Where(s => s.Label("deployment") == "podinfo-primary" && s.Label("classification") == "success").Sum(s => s.Value));
        Assert.Contains(samples, s => s.Name == "response_latency_ms_bucket" && s.Label("deployment") == "podinfo" && s.Label("le") == "50");
    }

    [Fact]
    public async Task Metrics_endpoint_serves_each_data_planes_names_and_labels()
    {
        var istio = await fixture.PodinfoAsync();
        fixture.Store.Create(Objects.VirtualServices, istio, Objects.VirtualService(istio, 50, 50));
        var nginx = await fixture.PodinfoAsync();
        fixture.Store.Create(BuiltInResources.Ingresses, nginx, Objects.Ingress(nginx, "podinfo", "podinfo"));
        fixture.Store.Create(BuiltInResources.Ingresses, nginx, Objects.Ingress(nginx, "podinfo-canary", "podinfo-canary", new() { ["canary"] = "true", ["canary-weight"] = "50" }));
        var gateway = await fixture.PodinfoAsync();
        fixture.Store.Create(Objects.HttpRoutes, gateway, Objects.HttpRoute(gateway, 50, 50));
        var kubernetes = await fixture.PodinfoAsync();
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        await using var simulator = new TrafficSimulator(fixture.Store, new TrafficSimulatorOptions
        {
            TimeProvider = time,
            Seed = 7,
            Apps =
            [
                new() { Namespace = istio, Name = "podinfo", Provider = "istio", RequestsPerSecond = 50 },
                new() { Namespace = nginx, Name = "podinfo", Provider = "nginx", RequestsPerSecond = 50 },
                new() { Namespace = gateway, Name = "podinfo", Provider = "gatewayapi:v1", RequestsPerSecond = 50 },
                new() { Namespace = kubernetes, Name = "podinfo", Provider = "kubernetes", RequestsPerSecond = 50 },
            ],
        });
        await simulator.StartAsync();
        for (var i = 0; i < 200; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(100));
        }

        await using var endpoint = await TrafficMetricsEndpoint.StartAsync(simulator);
        using var http = new HttpClient();
        using var response = await http.GetAsync(endpoint.Url);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        var samples = Exposition.Parse(await response.Content.ReadAsStringAsync());
        output.WriteLine($"{samples.Count} samples");

        // istio: istio_requests_total{reporter="destination",destination_workload_namespace,destination_workload,response_code}
        Assert.Contains(samples, s => s.Name == "istio_requests_total" && s.Label("reporter") == "destination" && s.Label("destination_workload_namespace") == istio
            && s.Label("destination_workload") == "podinfo" && s.Label("response_code") == "200" && s.Value > 0);
        Assert.Contains(samples, s => s.Name == "istio_requests_total" && s.Label("destination_workload") == "podinfo-primary" && s.Label("destination_workload_namespace") == istio);
        AssertHistogram(samples, "istio_request_duration_milliseconds", s => s.Label("destination_workload") == "podinfo" && s.Label("reporter") == "destination");

        // nginx: canary upstream reported on the main Ingress with a non-empty canary label; primary with none.
        Assert.Contains(samples, s => s.Name == "nginx_ingress_controller_requests" && s.Label("namespace") == nginx && s.Label("ingress") == "podinfo"
            && s.Label("canary") == $"{nginx}-podinfo-canary-9898" && s.Label("status") == "200" && s.Value > 0);
        Assert.Contains(samples, s => s.Name == "nginx_ingress_controller_requests" && s.Label("namespace") == nginx && s.Label("ingress") == "podinfo" && s.Label("canary") == string.Empty);
        Assert.Contains(samples, s => s.Name == "nginx_ingress_controller_response_duration_seconds_sum" && s.Label("canary").Length > 0 && s.Value > 0);
        AssertHistogram(samples, "nginx_ingress_controller_response_duration_seconds", s => s.Label("namespace") == nginx && s.Label("canary").Length > 0);

        // gatewayapi: Envoy clusters <ns>_<service>-canary_<port>, as the query's regex expects.
        var clusterRegex = new Regex($"^{gateway}_podinfo-canary_[0-9a-zA-Z-]+$");
        Assert.Contains(samples, s => s.Name == "envoy_cluster_upstream_rq" && clusterRegex.IsMatch(s.Label("envoy_cluster_name")) && s.Label("envoy_response_code") == "200");
        AssertHistogram(samples, "envoy_cluster_upstream_rq_time", s => clusterRegex.IsMatch(s.Label("envoy_cluster_name")));

        // kubernetes: the app's histogram per pod, pod names matching <target>-<hash>-<suffix>.
        var podRegex = new Regex("^podinfo-[0-9a-zA-Z]+(-[0-9a-zA-Z]+)$");
        Assert.Contains(samples, s => s.Name == "http_request_duration_seconds_count" && s.Label("kubernetes_namespace") == kubernetes && podRegex.IsMatch(s.Label("kubernetes_pod_name")) is false
            && s.Label("kubernetes_pod_name").StartsWith("podinfo-primary-", StringComparison.Ordinal) && s.Label("status") == "200");
        AssertHistogram(samples, "http_request_duration_seconds", s => s.Label("kubernetes_namespace") == kubernetes);
        Assert.DoesNotContain(samples, s => s.Name.StartsWith("istio_", StringComparison.Ordinal) && s.Label("destination_workload_namespace") == kubernetes);
    }

    /// <summary>Buckets with le (ascending, cumulative, ending at +Inf), +Inf equal to _count, and a _sum, for each matching series.</summary>
    private static void AssertHistogram(IReadOnlyList<Sample> samples, string name, Func<Sample, bool> where)
    {
        var buckets = samples.Where(s => s.Name == name + "_bucket" && where(s)).ToList();
        Assert.NotEmpty(buckets);
        foreach (var series in buckets.GroupBy(b => string.Join(",", b.Labels.Where(l => l.Key != "le").OrderBy(l => l.Key).Select(l => $"{l.Key}={l.Value}"))))
        {
            var ordered = series.ToList();
            Assert.Equal("+Inf", ordered[^1].Label("le"));
            Assert.True(ordered.Zip(ordered.Skip(1)).All(p => p.First.Value <= p.Second.Value), "buckets are cumulative");
            var labels = ordered[0].Labels.Where(l => l.Key != "le").ToDictionary();
            bool Same(Sample s) => s.Labels.Count == labels.Count && labels.All(l => s.Label(l.Key) == l.Value);
            Assert.Equal(ordered[^1].Value, samples.Single(s => s.Name == name + "_count" && Same(s)).Value);
            Assert.Contains(samples, s => s.Name == name + "_sum" && Same(s));
        }
    }

    private static IReadOnlyList<Sample> Scrape(TrafficSimulator simulator)
    {
        using var text = new StringWriter();
        simulator.WriteMetrics(text);
        return Exposition.Parse(text.ToString());
    }
}
