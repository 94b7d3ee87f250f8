using System.Text.Json.Nodes;
using Canary.Sandbox.Tests.Workloads;
using Canary.Sandbox.Traffic;
using Canary.Sandbox.Workloads;
using Xunit.Abstractions;
using static Canary.Sandbox.Tests.Workloads.KnativeManifests;

namespace Canary.Sandbox.Tests.Traffic;

/// <summary>
/// The knative data plane over the simulated Knative Serving: requests split by the Knative Service's status.traffic
/// to each revision's pods, and Envoy series per revision cluster <c>&lt;ns&gt;/&lt;revision&gt;</c>, the names Flagger's
/// knative queries read.
/// </summary>
public sealed class KnativeTrafficTests(TrafficClusterFixture fixture, ITestOutputHelper output) : IClassFixture<TrafficClusterFixture>
{
    [Fact]
    public async Task Knative_requests_follow_status_traffic_and_envoy_clusters_are_named_namespace_slash_revision()
    {
        InstallCrds(fixture.Store);
        var ns = fixture.NewNamespace();
        fixture.Store.Create(Services, ns, Service(ns, "podinfo", "podinfo:1"));
        await ServiceAsync(ns, "podinfo", s => Str(s, "status.latestReadyRevisionName") == "podinfo-00001", "podinfo-00001 ready");

        // A release whose pods answer 8 % errors, given 30 % next to the primary revision, as the knative router writes it.
        SetTemplate(fixture.Store, ns, "podinfo", "podinfo:2", new() { [SandboxAnnotations.ErrorRate] = "0.08" });
        SetTraffic(fixture.Store, ns, "podinfo", Latest(30), Named("podinfo-00001", 70));
        await ServiceAsync(ns, "podinfo", s => StatusTraffic(s) is ["podinfo-00002 latest 30", "podinfo-00001 named 70"], "30/70 split published");

        await using var run = await SimulatorRun.StartAsync(fixture.Store, new TrafficApp { Namespace = ns, Name = "podinfo", Provider = "knative", RequestsPerSecond = 200 });
        await run.WaitForRoutesAsync(r => r[0].Backends.Count == 2 && r[0].Backends.All(b => b.ReadyPods == 1));
        var stats = run.Run(TimeSpan.FromMinutes(1));

        var canary = stats.ByWorkload("podinfo-00002-deployment");
        var canaryErrors = stats.Count(k => k.Workload == "podinfo-00002-deployment" && k.StatusCode >= 500);
        output.WriteLine($"canary {canary}/{stats.Total} = {(double)canary / stats.Total:P2}, its 5xx {canaryErrors}");
        Assert.Equal(stats.Total, canary + stats.ByWorkload("podinfo-00001-deployment"));
        Assert.Equal(stats.Total, stats.Count(k => k.Service is "podinfo-00001-private" or "podinfo-00002-private"));
        Stats.AssertBinomial(canary, stats.Total, 0.3, "canary share");
        Stats.AssertBinomial(canaryErrors, canary, 0.08, "canary 5xx share");
        Assert.Equal(0, stats.Count(k => k.Workload == "podinfo-00001-deployment" && k.StatusCode >= 500));

        // Every request on its revision's cluster, as envoy_cluster_name=~"{{ namespace }}/{{ route }}" reads it.
        var samples = Scrape(run.Simulator);
        foreach (var revision in new[] { "podinfo-00001", "podinfo-00002" })
        {
            var cluster = $"{ns}/{revision}";
            var served = stats.ByWorkload(revision + "-deployment");
            Assert.Equal(served, (long)samples.Where(s => s.Name == "envoy_cluster_upstream_rq" && s.Label("envoy_cluster_name") == cluster).Sum(s => s.Value));
            Assert.Equal(served, (long)Assert.Single(samples, s => s.Name == "envoy_cluster_upstream_rq_time_count" && s.Label("envoy_cluster_name") == cluster).Value);
        }

        Assert.Equal(canaryErrors, (long)samples
            .Where(s => s.Name == "envoy_cluster_upstream_rq" && s.Label("envoy_cluster_name") == $"{ns}/podinfo-00002" && s.Label("envoy_response_code").StartsWith('5'))
            .Sum(s => s.Value));
    }

    [Fact]
    public async Task Knative_app_without_its_service_or_without_published_traffic_gets_503()
    {
        InstallCrds(fixture.Store);
        var ns = fixture.NewNamespace();

        // A revision that never becomes ready: the route is never programmed, so status.traffic stays absent.
        fixture.Store.Create(Services, ns, Service(ns, "stuck", "podinfo:1", new() { [SandboxAnnotations.NeverReady] = "true" }));
        var stuck = await ServiceAsync(ns, "stuck", s => Str(s, "status.latestCreatedRevisionName") == "stuck-00001", "stuck-00001 created");
        Assert.Null(stuck["status"]!["traffic"]);

        await using var run = await SimulatorRun.StartAsync(fixture.Store, new TrafficApp { Namespace = ns, Name = "stuck", Provider = "knative", RequestsPerSecond = 50 });
        run.Simulator.AddApp(new TrafficApp { Namespace = ns, Name = "absent", Provider = "knative", RequestsPerSecond = 50 });

        foreach (var name in new[] { "stuck", "absent" })
        {
            var route = Assert.Single(run.Simulator.Preview(ns, name));
            Assert.Equal((503, 0), (route.LocalStatus, route.Backends.Count));
        }

        var stats = run.Run(TimeSpan.FromSeconds(10));
        Assert.True(stats.Total > 0);
        Assert.Equal(stats.Total, stats.Count(k => k.StatusCode == 503 && k.Service.Length == 0));
    }

    private Task<JsonObject> ServiceAsync(string ns, string name, Func<JsonObject, bool> done, string what) =>
        Eventually.ReachAsync(() => Task.FromResult(fixture.Store.Get(Services, ns, name)), done, what, timeoutSeconds: 15);

    private static IReadOnlyList<Sample> Scrape(TrafficSimulator simulator)
    {
        using var text = new StringWriter();
        simulator.WriteMetrics(text);
        return Exposition.Parse(text.ToString());
    }
}
