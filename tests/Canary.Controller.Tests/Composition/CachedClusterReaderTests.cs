using Canary.Controller.Composition;
using Canary.Controller.Hosting;
using Canary.Controller.Informers;
using Canary.Controller.Sharding;
using Canary.Controller.Telemetry;
using Canary.Controller.Tests.Support;
using Canary.Sandbox.ApiServer.Resources;
using Microsoft.Extensions.Logging.Abstractions;

namespace Canary.Controller.Tests.Composition;

public sealed class CachedClusterReaderTests
{
    [Fact]
    public async Task An_object_the_cache_has_not_seen_yet_is_read_from_the_api_not_reported_missing()
    {
        // A Canary applied right after its Deployment can be ticked before the Deployment informer has delivered it.
        await using var server = await SandboxKit.StartAsync(withCrds: true);
        server.Store.Create(BuiltInResources.Deployments, "default", SandboxKit.Deployment("default", "podinfo"));
        using var kube = server.CreateClient();
        var caches = new ControllerCaches(kube, new ControllerOptions { MeshProvider = "kubernetes" }, new InformerOptions(), TimeProvider.System,
            NullLoggerFactory.Instance, new ControllerMetrics(new TestMeterFactory()), []);
        var reader = new CachedClusterReader(caches, new RecentCanaryWrites(), new Canary.Controller.Secrets.ReferencedSecrets(caches, kube), kube, new HandoffReads());

        var deployment = await reader.GetDeploymentAsync("default", "podinfo", CancellationToken.None);
        var missing = await reader.GetDeploymentAsync("default", "absent", CancellationToken.None);

        Assert.NotNull(deployment);
        Assert.Equal("podinfo", deployment!.Metadata.Name);
        Assert.Null(missing);
        Assert.Equal(2, server.Counters.Count("get", "deployments"));
    }

    [Fact]
    public async Task A_canary_taken_over_from_another_replica_is_read_once_from_the_api_while_the_cache_is_behind()
    {
        await using var server = await SandboxKit.StartAsync(withCrds: true);
        SandboxKit.SeedCanaries(server, 1);
        using var kube = server.CreateClient();
        var caches = new ControllerCaches(kube, new ControllerOptions { MeshProvider = "kubernetes" }, new InformerOptions(), TimeProvider.System,
            NullLoggerFactory.Instance, new ControllerMetrics(new TestMeterFactory()), []);
        using var stop = new CancellationTokenSource();
        var run = caches.Canaries.RunAsync(stop.Token);
        await caches.Canaries.WaitForSyncAsync(CancellationToken.None);
        var handoffs = new HandoffReads();
        var reader = new CachedClusterReader(caches, new RecentCanaryWrites(), new Canary.Controller.Secrets.ReferencedSecrets(caches, kube), kube, handoffs);
        var name = caches.Canaries.Store.List()[0].Metadata.Name;
        await stop.CancelAsync();
        await run;

        // The previous owner's last checkpoint, which this replica's (stopped) watch never delivers.
        var stored = server.Store.Get(SandboxKit.Canaries, "default", name);
        stored["status"] = new System.Text.Json.Nodes.JsonObject { ["phase"] = "Progressing", ["canaryWeight"] = 30 };
        server.Store.Update(SandboxKit.Canaries, "default", stored, "status");

        handoffs.Mark("default", name);
        var first = await reader.GetCanaryAsync("default", name, CancellationToken.None);
        var second = await reader.GetCanaryAsync("default", name, CancellationToken.None);

        Assert.Equal(30, first!.Status?.CanaryWeight);
        Assert.Equal(30, second!.Status?.CanaryWeight);
        Assert.Equal(1, server.Counters.Count("get", "canaries"));
    }
}
