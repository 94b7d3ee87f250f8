using Canary.Controller.Tests.Support;
using Canary.Sandbox.ApiServer.Resources;

namespace Canary.Controller.Tests.Composition;

/// <summary>The architecture's promise with the real engine: in steady state the controller makes no API calls at all.</summary>
[Collection(ExclusiveMetrics.Name)]
public sealed class EngineIdleTests
{
    private const string Ns = "idle";
    private const int Count = 50;

    [Fact]
    public async Task Fifty_initialized_canaries_cost_no_requests_but_watches_and_a_new_image_is_still_promoted()
    {
        await using var sandbox = await EngineSandbox.StartAsync(Ns);
        for (var i = 0; i < Count; i++)
        {
            var name = $"app-{i:D2}";
            sandbox.Create(BuiltInResources.Deployments, Ns, SandboxKit.Deployment(Ns, name));
            sandbox.Create(SandboxKit.Canaries, Ns, EngineSandbox.Canary(Ns, name));
        }

        await using var host = await TestHost.StartAsync(sandbox.Cluster.Server, o => o with { MeshProvider = "kubernetes", EnableLeaderElection = true, LeaderElectionNamespace = Ns }, withEngine: true);
        await SandboxKit.EventuallyAsync(
            () => Enumerable.Range(0, Count).All(i => sandbox.Phase(Ns, $"app-{i:D2}") == "Initialized"), TimeSpan.FromSeconds(120), "every canary initialized");

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

        await Task.Delay(TimeSpan.FromSeconds(4));
        var after = sandbox.Requests();
        var grown = after.Where(kv => kv.Value > before.GetValueOrDefault(kv.Key)).Select(kv => $"{kv.Key.Verb} {kv.Key.Resource} {kv.Key.StatusCode} +{kv.Value - before.GetValueOrDefault(kv.Key)}").ToList();
        Assert.True(grown.Count == 0, $"requests while idle: {string.Join(", ", grown)}");
        Assert.True(sandbox.Cluster.Store.WatcherCount(BuiltInResources.Deployments) > 0, "the controller watches (a watch is counted when it ends)");

        SandboxKit.Touch(sandbox.Cluster.Server, Ns, "app-17", "app:2");
        await SandboxKit.EventuallyAsync(() => sandbox.Phase(Ns, "app-17") == "Progressing", TimeSpan.FromSeconds(30), "the new image is detected");
        await SandboxKit.EventuallyAsync(() => sandbox.Phase(Ns, "app-17") == "Succeeded", TimeSpan.FromSeconds(60), "the new image is promoted");
        var primary = sandbox.Get(BuiltInResources.Deployments, Ns, "app-17-primary");
        Assert.Equal("app:2", primary?["spec"]?["template"]?["spec"]?["containers"]?[0]?["image"]?.GetValue<string>());
        Assert.All(Enumerable.Range(0, Count).Where(i => i != 17), i => Assert.Equal("Initialized", sandbox.Phase(Ns, $"app-{i:D2}")));
    }
}
