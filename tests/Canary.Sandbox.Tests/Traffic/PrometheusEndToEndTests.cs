using Canary.MetricTemplates.BuiltIn;
using Canary.MetricTemplates.Templates;
using Canary.Sandbox.Prometheus;
using Canary.Sandbox.Traffic;
using Canary.Sandbox.Traffic.Metrics;
using Canary.Sandbox.Workloads;
using Xunit.Abstractions;

namespace Canary.Sandbox.Tests.Traffic;

/// <summary>
/// The istio built-in queries, rendered as the controller renders them, against a real Prometheus scraping the
/// simulator in real time: the success rate reflects the error-rate annotation, the p99 the latency annotation.
/// </summary>
public sealed class PrometheusEndToEndTests(TrafficClusterFixture fixture, ITestOutputHelper output) : IClassFixture<TrafficClusterFixture>
{
    [Fact]
    public async Task Istio_builtin_queries_see_the_annotated_error_rate_and_latency()
    {
        var ns = await fixture.PodinfoAsync(canaryAnnotations: new()
        {
            [SandboxAnnotations.ErrorRate] = "0.08",
            [SandboxAnnotations.LatencyP50] = "20ms",
            [SandboxAnnotations.LatencyP99] = "400ms",
        });
        fixture.Store.Create(new("networking.istio.io", "v1beta1", "virtualservices"), ns, Objects.VirtualService(ns, 50, 50));
        await using var simulator = new TrafficSimulator(fixture.Store, new TrafficSimulatorOptions
        {
            Seed = 11,
            Apps = [new() { Namespace = ns, Name = "podinfo", Provider = "istio", RequestsPerSecond = 2000 }],
        });
        await simulator.StartAsync();
        await using var endpoint = await TrafficMetricsEndpoint.StartAsync(simulator);
        await using var prometheus = await PrometheusRunner.StartAsync(endpoint.Url);

        var set = BuiltInMetricTemplates.Find("istio")!;
        var model = new MetricTemplateModel { Name = "podinfo", Namespace = ns, Target = "podinfo", Service = "podinfo", Ingress = "podinfo", Route = "podinfo", Interval = "30s" };
        var renderer = new MetricQueryRenderer();
        var successRate = renderer.Render(set.RequestSuccessRateQuery, model);
        var p99 = renderer.Render(set.RequestDurationQuery, model);

        // Readiness, not timing: wait until the window holds enough canary requests for a tight estimate.
        var seen = $"sum(increase(istio_requests_total{{reporter=\"destination\",destination_workload_namespace=\"{ns}\",destination_workload=\"podinfo\"}}[30s]))";
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        double requests;
        while ((requests = await prometheus.QueryAsync(seen, timeout.Token) ?? 0) < 4000)
        {
            await Task.Delay(250, timeout.Token);
        }

        var rate = await prometheus.QueryAsync(successRate);
        var duration = await prometheus.QueryAsync(p99);
        output.WriteLine($"{requests:F0} canary requests in window; success rate {rate:F2} %; p99 {duration:F1} ms");

        // 8 % errors: 92 % success; 4 sigma of a binomial share over the requests seen, in percent.
        var tolerance = 4 * Math.Sqrt(0.08 * 0.92 / requests) * 100;
        Assert.NotNull(rate);
        Assert.InRange(rate!.Value, 92 - tolerance - 0.5, 92 + tolerance + 0.5);

        // A 400 ms p99 lies in Istio's (250, 500] bucket; histogram_quantile interpolates inside it.
        Assert.NotNull(duration);
        Assert.InRange(duration!.Value, 250, 500);
    }

    [Fact]
    public async Task Missing_binary_is_a_clear_error()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            PrometheusRunner.StartAsync(new Uri("http://127.0.0.1:1/metrics"), new PrometheusRunnerOptions { Binary = "/nonexistent/prometheus" }));
        Assert.Contains("scripts/setup.sh", error.Message, StringComparison.Ordinal);
    }
}
