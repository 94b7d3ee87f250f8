using System.Net;
using Canary.Controller.Reconciliation;
using Canary.Controller.Tests.Support;
using Canary.Sandbox.ApiServer.Resources;

namespace Canary.Controller.Tests.Hosting;

[Collection(ExclusiveMetrics.Name)]
public class ControllerHostTests
{
    [Fact]
    public async Task Becomes_ready_with_router_CRDs_missing_and_a_deployment_change_reaches_the_reconciler()
    {
        await using var server = await SandboxKit.StartAsync();
        SandboxKit.SeedCanaries(server, 3);
        await using var host = await TestHost.StartAsync(server);
        using var http = new HttpClient();

        await SandboxKit.EventuallyAsync(() => host.Caches.HasSynced, because: "caches sync although istio CRDs are not installed");
        using (var ready = await http.GetAsync(new Uri(host.Health, "readyz")))
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            Assert.Contains("not served", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var key = new CanaryKey("default", "app-00001");
        await SandboxKit.EventuallyAsync(() => host.Reconciler.Counts.Count == 3, because: "every Canary is reconciled once at start");

        SandboxKit.Touch(server, "default", "app-00001", "app:2");
        await SandboxKit.EventuallyAsync(() => host.Reconciler.TargetImages.TryGetValue(key, out var seen) && seen.Contains("app:2"), because: "the change is seen");
        Assert.Equal(1, host.Reconciler.Counts[new CanaryKey("default", "app-00002")]);
    }

    [Fact]
    public async Task A_config_map_change_reaches_the_canary_whose_target_uses_it()
    {
        await using var server = await SandboxKit.StartAsync();
        server.Store.Create(BuiltInResources.ConfigMaps, "default", SandboxKit.ConfigMap("default", "settings", "a"));
        server.Store.Create(BuiltInResources.Deployments, "default", SandboxKit.Deployment("default", "web", configMap: "settings"));
        server.Store.Create(SandboxKit.Canaries, "default", SandboxKit.Canary("default", "web", "web"));
        await using var host = await TestHost.StartAsync(server);
        var key = new CanaryKey("default", "web");
        await SandboxKit.EventuallyAsync(() => host.Reconciler.Counts.GetValueOrDefault(key) == 1);

        var map = server.Store.Get(BuiltInResources.ConfigMaps, "default", "settings");
        map["data"]!["value"] = "b";
        server.Store.Update(BuiltInResources.ConfigMaps, "default", map);

        await SandboxKit.EventuallyAsync(() => host.Reconciler.Counts.GetValueOrDefault(key) == 2);
    }

    [Fact]
    public async Task Health_and_metrics_endpoints_serve_the_controller_metrics_with_Flagger_names()
    {
        await using var server = await SandboxKit.StartAsync();
        SandboxKit.SeedCanaries(server, 2);
        await using var host = await TestHost.StartAsync(server);
        using var http = new HttpClient();
        await SandboxKit.EventuallyAsync(() => host.Reconciler.Counts.Count == 2);

        using var health = await http.GetAsync(new Uri(host.Health, "healthz"));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        using var wrongPort = await http.GetAsync(new Uri(host.Health, "metrics"));
        Assert.Equal(HttpStatusCode.NotFound, wrongPort.StatusCode);

        var text = await http.GetStringAsync(host.Metrics);
        foreach (var name in new[]
        {
            "canary_info{", "canary_canary_total{namespace=\"default\"} 2\n", "canary_workqueue_depth", "canary_workqueue_adds_total",
            "canary_workqueue_queue_duration_seconds_bucket", "canary_reconcile_total", "canary_reconcile_duration_seconds_bucket",
            "canary_kube_api_requests_total{", "verb=\"list\"", "canary_informer_synced{", "canary_leader_election_is_leader",
        })
        {
            Assert.True(text.Contains(name, StringComparison.Ordinal), $"{name} missing from:\n{text}");
        }
    }
}
