using Canary.Controller.Tests.Support;
using Canary.Sandbox.ApiServer.Resources;

namespace Canary.Controller.Tests.Composition;

/// <summary>The architecture's promise with the real engine: in steady state the controller makes no API calls at all.</summary>
[Collection(ExclusiveMetrics.Name)]
public sealed class EngineIdleTests
{
    private const string Ns = "idle";
    private const int Count = 200;

    [Fact]
    public async Task Two_hundred_initialized_canaries_cost_no_requests_for_a_minute_but_watches_and_leases_and_a_new_image_is_still_promoted()
    {
        await using var sandbox = await EngineSandbox.StartAsync(Ns);
        for (var i = 0; i < Count; i++)
        {
            var name = $"app-{i:D3}";
            sandbox.Create(BuiltInResources.Deployments, Ns, SandboxKit.Deployment(Ns, name));
            sandbox.Create(SandboxKit.Canaries, Ns, EngineSandbox.Canary(Ns, name));
        }

        // The sandbox serves no router CRD (no Istio, Gateway API, ...): every provider's kinds the controller caches
        // are missing, which cost a GET per kind every 30 s before missing kinds waited on the CRD watch.
        await using var host = await TestHost.StartAsync(sandbox.Cluster.Server, o => o with { MeshProvider = "kubernetes", EnableLeaderElection = true, LeaderElectionNamespace = Ns }, withEngine: true);
        await SandboxKit.EventuallyAsync(
            () => Enumerable.Range(0, Count).All(i => sandbox.Phase(Ns, $"app-{i:D3}") == "Initialized"), TimeSpan.FromSeconds(180), "every canary initialized");
        Assert.Contains(host.Caches.Routers, r => !r.IsServed);

        // Initialization leaves a short tail of events (pods becoming ready, our own writes echoed by the watches), each
        // waking its Canary once. With an analysis interval of 1s, a Canary that still ticked periodically would keep
        // the counters moving every second and this would never settle.
        var before = sandbox.Requests();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        for (var settled = false; !settled;)
        {
            Assert.True(DateTime.UtcNow < deadline, $"API requests never stopped: {string.Join(", ", before.Select(kv => $"{kv.Key.Verb} {kv.Key.Resource} {kv.Value}"))}");
            await Task.Delay(TimeSpan.FromSeconds(1.5));
            var now = sandbox.Requests();
            settled = sandbox.Cluster.Server.Counters.InFlight == 0 && now.Count == before.Count && now.All(kv => before.GetValueOrDefault(kv.Key) == kv.Value);
            before = now;
        }

        // A minute spans two of the old 30 s looks for each missing kind, and sixty analysis intervals of each Canary.
        await Task.Delay(TimeSpan.FromSeconds(60));
        var after = sandbox.Requests();
        var grown = after.Where(kv => kv.Value > before.GetValueOrDefault(kv.Key)).Select(kv => $"{kv.Key.Verb} {kv.Key.Resource} {kv.Key.StatusCode} +{kv.Value - before.GetValueOrDefault(kv.Key)}").ToList();
        Assert.True(grown.Count == 0, $"requests in a minute of idling: {string.Join(", ", grown)}");
        Assert.True(sandbox.Cluster.Store.WatcherCount(BuiltInResources.Deployments) > 0, "the controller watches (a watch is counted when it ends)");

        // A provider installed later is found through the CRD watch, not a poll.
        sandbox.Create(BuiltInResources.CustomResourceDefinitions, null, SandboxKit.Crd("virtualservices", "VirtualService", "networking.istio.io", "v1beta1"));
        var virtualServices = host.Caches.Routers.Single(r => r.Kind == "VirtualService.networking.istio.io");
        await SandboxKit.EventuallyAsync(() => virtualServices.IsServed && virtualServices.HasSynced, TimeSpan.FromSeconds(10), "VirtualServices cached once their CRD exists");

        SandboxKit.Touch(sandbox.Cluster.Server, Ns, "app-017", "app:2");
        await SandboxKit.EventuallyAsync(() => sandbox.Phase(Ns, "app-017") == "Progressing", TimeSpan.FromSeconds(30), "the new image is detected");
        await SandboxKit.EventuallyAsync(() => sandbox.Phase(Ns, "app-017") == "Succeeded", TimeSpan.FromSeconds(60), "the new image is promoted");
        var primary = sandbox.Get(BuiltInResources.Deployments, Ns, "app-017-primary");
        Assert.Equal("app:2", primary?["spec"]?["template"]?["spec"]?["containers"]?[0]?["image"]?.GetValue<string>());
        Assert.All(Enumerable.Range(0, Count).Where(i => i != 17), i => Assert.Equal("Initialized", sandbox.Phase(Ns, $"app-{i:D3}")));
    }
}
