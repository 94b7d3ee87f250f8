using k8s;
using k8s.Models;
using ClientEventType = k8s.WatchEventType;

namespace Canary.Sandbox.Tests;

/// <summary>Watch semantics through KubernetesClient: initial state, resume without gaps or repeats, 410 Gone, bookmarks, timeouts.</summary>
public sealed class WatchTests(SandboxFixture fx) : IClassFixture<SandboxFixture>
{
    private IKubernetes Client => fx.Client;

    private static V1ConfigMap ConfigMap(string name, string value = "v", Dictionary<string, string>? labels = null) =>
        new() { Metadata = new V1ObjectMeta { Name = name, Labels = labels }, Data = new Dictionary<string, string> { ["k"] = value } };

    private static async Task<List<(ClientEventType Type, V1ConfigMap Object)>> Collect(
        IAsyncEnumerable<(ClientEventType, V1ConfigMap)> events, int count, TimeSpan? within = null)
    {
        var result = new List<(ClientEventType, V1ConfigMap)>();
        using var cts = new CancellationTokenSource(within ?? TimeSpan.FromSeconds(10));
        await using var e = events.GetAsyncEnumerator(cts.Token);
        while (result.Count < count && await e.MoveNextAsync())
        {
            result.Add(e.Current);
        }

        return result;
    }

    [Fact]
    public async Task Watch_without_version_starts_with_current_state_then_streams_changes()
    {
        var ns = await fx.NewNamespaceAsync();
        await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), ns);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var events = Client.CoreV1.WatchListNamespacedConfigMapAsync(ns, onError: e => throw e, cancellationToken: cts.Token);
        var collecting = Collect(events, 4);
        await WaitForWatchers(1);

        await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("b"), ns);
        await Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("{\"data\":{\"k\":\"2\"}}", V1Patch.PatchType.MergePatch), "a", ns);
        await Client.CoreV1.DeleteNamespacedConfigMapAsync("b", ns);

        var seen = await collecting;
        Assert.Equal(
            [(ClientEventType.Added, "a"), (ClientEventType.Added, "b"), (ClientEventType.Modified, "a"), (ClientEventType.Deleted, "b")],
            seen.Select(s => (s.Type, s.Object.Metadata.Name)));
        Assert.Equal("2", seen[2].Object.Data["k"]);
    }

    [Fact]
    public async Task Watch_resumed_from_last_version_misses_nothing_and_repeats_nothing()
    {
        var ns = await fx.NewNamespaceAsync();
        var list = await Client.CoreV1.ListNamespacedConfigMapAsync(ns);
        var rv = list.Metadata.ResourceVersion;
        var seen = new List<string>();

        for (var round = 0; round < 3; round++)
        {
            // Writes happen while no watch is open; each resumed watch must deliver exactly those.
            for (var i = 0; i < 4; i++)
            {
                await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap($"r{round}-{i}"), ns);
            }

            var events = await Collect(Client.CoreV1.WatchListNamespacedConfigMapAsync(ns, resourceVersion: rv, onError: e => throw e), 4);
            seen.AddRange(events.Select(e => e.Object.Metadata.Name));
            rv = events[^1].Object.Metadata.ResourceVersion;
        }

        var expected = Enumerable.Range(0, 3).SelectMany(r => Enumerable.Range(0, 4).Select(i => $"r{r}-{i}"));
        Assert.Equal(expected, seen);

        using var quiet = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        var extra = await Collect(Client.CoreV1.WatchListNamespacedConfigMapAsync(ns, resourceVersion: rv, onError: e => throw e), 1, TimeSpan.FromMilliseconds(500))
            .ContinueWith(t => t.IsCanceled || t.IsFaulted ? [] : t.Result, TaskScheduler.Default);
        Assert.Empty(extra);
    }

    [Fact]
    public async Task Watch_from_a_compacted_version_gets_410_Gone()
    {
        await using var server = await Canary.Sandbox.ApiServer.SandboxApiServer.StartAsync();
        using var client = server.CreateClient();
        var old = (await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("x"), "default")).Metadata.ResourceVersion;
        await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("y"), "default");
        server.Store.Compact();

        var e = await Assert.ThrowsAsync<KubernetesException>(async () =>
        {
            await foreach (var _ in client.CoreV1.WatchListNamespacedConfigMapAsync("default", resourceVersion: old, onError: ex => throw ex))
            {
            }
        });
        Assert.Equal(410, e.Status.Code);
        Assert.Equal("Expired", e.Status.Reason);
        Assert.Contains("too old resource version", e.Status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task History_size_bounds_what_a_watch_can_resume_from()
    {
        await using var server = await Canary.Sandbox.ApiServer.SandboxApiServer.StartAsync(new() { HistorySize = 3 });
        using var client = server.CreateClient();
        var start = (await client.CoreV1.ListNamespacedConfigMapAsync("default")).Metadata.ResourceVersion;
        for (var i = 0; i < 5; i++)
        {
            await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap($"h{i}"), "default");
        }

        var e = await Assert.ThrowsAsync<KubernetesException>(async () =>
        {
            await foreach (var _ in client.CoreV1.WatchListNamespacedConfigMapAsync("default", resourceVersion: start, onError: ex => throw ex))
            {
            }
        });
        Assert.Equal(410, e.Status.Code);

        var recent = (await client.CoreV1.ReadNamespacedConfigMapAsync("h1", "default")).Metadata.ResourceVersion;
        var resumed = await Collect(client.CoreV1.WatchListNamespacedConfigMapAsync("default", resourceVersion: recent, onError: ex => throw ex), 3);
        Assert.Equal(["h2", "h3", "h4"], resumed.Select(r => r.Object.Metadata.Name));
    }

    [Fact]
    public async Task Bookmarks_arrive_when_asked_and_carry_a_resumable_version()
    {
        var ns = await fx.NewNamespaceAsync();
        var rv = (await Client.CoreV1.ListNamespacedConfigMapAsync(ns)).Metadata.ResourceVersion;
        var events = await Collect(Client.CoreV1.WatchListNamespacedConfigMapAsync(ns, resourceVersion: rv, allowWatchBookmarks: true, onError: e => throw e), 1);
        var (type, obj) = Assert.Single(events);
        Assert.Equal(ClientEventType.Bookmark, type);
        Assert.True(long.Parse(obj.Metadata.ResourceVersion) >= long.Parse(rv));
    }

    [Fact]
    public async Task TimeoutSeconds_ends_the_watch_after_a_final_bookmark()
    {
        var ns = await fx.NewNamespaceAsync();
        var rv = (await Client.CoreV1.ListNamespacedConfigMapAsync(ns)).Metadata.ResourceVersion;
        var started = DateTime.UtcNow;
        var types = new List<ClientEventType>();

        // KubernetesClient throws on a watch that ends without a single line, so ask for the bookmark a real server sends before timing out.
        await foreach (var (type, _) in Client.CoreV1.WatchListNamespacedConfigMapAsync(ns, resourceVersion: rv, allowWatchBookmarks: true, timeoutSeconds: 1, onError: e => throw e))
        {
            types.Add(type);
        }

        Assert.All(types, t => Assert.Equal(ClientEventType.Bookmark, t));
        Assert.NotEmpty(types);

        var elapsed = DateTime.UtcNow - started;
        Assert.InRange(elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Label_selector_watch_sees_objects_enter_and_leave_the_selection()
    {
        var ns = await fx.NewNamespaceAsync();
        var rv = (await Client.CoreV1.ListNamespacedConfigMapAsync(ns)).Metadata.ResourceVersion;
        await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("l", labels: new() { ["app"] = "other" }), ns);
        await Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("{\"metadata\":{\"labels\":{\"app\":\"web\"}}}", V1Patch.PatchType.MergePatch), "l", ns);
        await Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("{\"data\":{\"k\":\"2\"}}", V1Patch.PatchType.MergePatch), "l", ns);
        await Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("{\"metadata\":{\"labels\":{\"app\":\"gone\"}}}", V1Patch.PatchType.MergePatch), "l", ns);

        var events = await Collect(Client.CoreV1.WatchListNamespacedConfigMapAsync(ns, resourceVersion: rv, labelSelector: "app=web", onError: e => throw e), 3);
        Assert.Equal([ClientEventType.Added, ClientEventType.Modified, ClientEventType.Deleted], events.Select(e => e.Type));
    }

    [Fact]
    public async Task In_process_watch_has_the_same_semantics()
    {
        var ns = await fx.NewNamespaceAsync();
        var store = fx.Server.Store;
        var rv = store.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
        store.Create(Canary.Sandbox.ApiServer.Resources.BuiltInResources.ConfigMaps, ns, new System.Text.Json.Nodes.JsonObject { ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["name"] = "inproc" } });
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await foreach (var e in store.WatchAsync(Canary.Sandbox.ApiServer.Resources.BuiltInResources.ConfigMaps, ns, new() { ResourceVersion = rv }, cts.Token))
        {
            Assert.Equal(Canary.Sandbox.ApiServer.Watch.WatchEventType.Added, e.Type);
            Assert.Equal("inproc", e.Value["metadata"]!["name"]!.GetValue<string>());
            break;
        }
    }

    private async Task WaitForWatchers(int count)
    {
        for (var i = 0; i < 200 && fx.Server.Store.WatcherCount(Canary.Sandbox.ApiServer.Resources.BuiltInResources.ConfigMaps) < count; i++)
        {
            await Task.Delay(10);
        }
    }
}
