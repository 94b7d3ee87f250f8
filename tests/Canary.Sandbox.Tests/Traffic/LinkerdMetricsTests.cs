using Canary.Sandbox.ApiServer.Resources;
using Canary.Sandbox.Traffic;
using Canary.Sandbox.Traffic.Metrics;
using Canary.Sandbox.Workloads;
using Xunit.Abstractions;

namespace Canary.Sandbox.Tests.Traffic;

/// <summary>
/// The simulated Linkerd proxies' series on /metrics, as linkerd-viz's Prometheus would store them (Linkerd's proxy
/// metrics reference: <c>response_total</c> with <c>direction</c>, <c>status_code</c>, <c>classification</c>; collector
/// labels <c>namespace</c>, <c>pod</c>, <c>deployment</c>): one series set per answering pod, inbound only.
/// </summary>
public sealed class LinkerdMetricsTests(TrafficClusterFixture fixture, ITestOutputHelper output) : IClassFixture<TrafficClusterFixture>
{
    private static readonly string[] CounterLabels = ["classification", "deployment", "direction", "namespace", "pod", "status_code"];
    private static readonly string[] BucketLabels = ["deployment", "direction", "le", "namespace", "pod", "status_code"];
    private static readonly string[] LinkerdBounds =
        ["1", "2", "3", "4", "5", "10", "20", "30", "40", "50", "100", "200", "300", "400", "500", "1000", "2000", "3000", "4000", "5000", "10000", "20000", "30000", "40000", "50000", "+Inf"];

    [Fact]
    public async Task Each_answering_pod_has_inbound_response_total_and_response_latency_ms_series()
    {
        var ns = await fixture.PodinfoAsync(canaryAnnotations: new() { [SandboxAnnotations.ErrorRate] = "0.2" });
        fixture.Store.Create(Objects.TrafficSplits, ns, Objects.TrafficSplit(ns, "v1alpha1", 50, 50));
        await using var run = await SimulatorRun.StartAsync(fixture.Store, new TrafficApp { Namespace = ns, Name = "podinfo", Provider = "linkerd", RequestsPerSecond = 200 });
        await run.WaitForRoutesAsync(r => r[0].Backends.Count == 2 && r[0].Backends.All(b => b.ReadyPods == 2));
        var stats = run.Run(TimeSpan.FromMinutes(1));

        var samples = await ScrapeOverHttpAsync(run.Simulator);

        var responses = samples.Where(s => s.Name == "response_total" && s.Label("namespace") == ns).ToList();
        Assert.NotEmpty(responses);
        Assert.All(responses, s =>
        {
            Assert.Equal(CounterLabels, s.Labels.Keys.Order(StringComparer.Ordinal));
            Assert.Equal("inbound", s.Label("direction"));
            Assert.Equal(s.Label("status_code").StartsWith('5') ? "failure" : "success", s.Label("classification"));
        });

        // Per pod: the pod's own name and Deployment, and exactly the requests that pod answered.
        var pods = fixture.Store.List(BuiltInResources.Pods, ns).Items
            .ToDictionary(p => p["metadata"]!["name"]!.GetValue<string>(), p => p["metadata"]!["labels"]!["app"]!.GetValue<string>(), StringComparer.Ordinal);
        foreach (var byPod in responses.GroupBy(s => s.Label("pod")))
        {
            Assert.True(pods.TryGetValue(byPod.Key, out var deployment), $"pod label {byPod.Key} names no pod of {ns}");
            Assert.All(byPod, s => Assert.Equal(deployment, s.Label("deployment")));
        }

        Assert.Equal(4, responses.Select(s => s.Label("pod")).Distinct().Count());
        foreach (var deployment in new[] { "podinfo", "podinfo-primary" })
        {
            var own = responses.Where(s => s.Label("deployment") == deployment).ToList();
            Assert.Equal(stats.ByWorkload(deployment), (long)own.Sum(s => s.Value));
            Assert.Equal(stats.Count(k => k.Workload == deployment && k.StatusCode >= 500), (long)own.Where(s => s.Label("classification") == "failure").Sum(s => s.Value));
        }

        output.WriteLine($"canary failures {responses.Where(s => s.Label("classification") == "failure").Sum(s => s.Value)} of {stats.ByWorkload("podinfo")}");
        Assert.Contains(responses, s => s.Label("deployment") == "podinfo" && s.Label("status_code") == "500" && s.Value > 0);

        // The latency histogram: Linkerd's millisecond bounds, no classification, one observation per answer.
        var buckets = samples.Where(s => s.Name == "response_latency_ms_bucket" && s.Label("namespace") == ns).ToList();
        Assert.All(buckets, s => Assert.Equal(BucketLabels, s.Labels.Keys.Order(StringComparer.Ordinal)));
        foreach (var series in buckets.GroupBy(s => (s.Label("pod"), s.Label("status_code"))))
        {
            Assert.Equal(LinkerdBounds, series.Select(s => s.Label("le")));
            var count = samples.Single(s => s.Name == "response_latency_ms_count" && s.Label("pod") == series.Key.Item1 && s.Label("status_code") == series.Key.Item2);
            Assert.Equal(series.Last().Value, count.Value);
        }

        Assert.Equal(stats.Total, (long)samples.Where(s => s.Name == "response_latency_ms_count" && s.Label("namespace") == ns).Sum(s => s.Value));
    }

    [Fact]
    public async Task A_backend_without_ready_pods_is_answered_503_by_the_client_proxy_and_not_counted_inbound()
    {
        var ns = await fixture.PodinfoAsync(canaryReplicas: 0);
        fixture.Store.Create(Objects.TrafficSplits, ns, Objects.TrafficSplit(ns, "v1alpha1", 50, 50));
        await using var run = await SimulatorRun.StartAsync(fixture.Store, new TrafficApp { Namespace = ns, Name = "podinfo", Provider = "linkerd", RequestsPerSecond = 100 });
        await run.WaitForRoutesAsync(r => r[0].Backends.Count == 2 && r[0].Backends.Single(b => b.Service == "podinfo-primary").ReadyPods == 2);
        var stats = run.Run(TimeSpan.FromSeconds(20));

        var unavailable = stats.Count(k => k.Service == "podinfo-canary" && k.StatusCode == 503 && k.Workload.Length == 0);
        Stats.AssertBinomial(unavailable, stats.Total, 0.5, "503 share");

        var samples = await ScrapeOverHttpAsync(run.Simulator);
        var linkerd = samples.Where(s => s.Name.StartsWith("response_", StringComparison.Ordinal) && s.Label("namespace") == ns).ToList();
        Assert.All(linkerd, s => Assert.Equal("podinfo-primary", s.Label("deployment")));
        Assert.DoesNotContain(linkerd, s => s.Label("status_code") == "503");
        Assert.Equal(stats.ByWorkload("podinfo-primary"), (long)linkerd.Where(s => s.Name == "response_total").Sum(s => s.Value));
    }

    private static async Task<IReadOnlyList<Sample>> ScrapeOverHttpAsync(TrafficSimulator simulator)
    {
        await using var endpoint = await TrafficMetricsEndpoint.StartAsync(simulator);
        using var http = new HttpClient();
        return Exposition.Parse(await http.GetStringAsync(endpoint.Url));
    }
}
