using System.Collections.Concurrent;
using Canary.Controller.Informers;
using Canary.Controller.Kubernetes;
using Canary.Controller.Telemetry;
using Canary.Controller.Tests.Support;
using Canary.Sandbox.ApiServer;
using Canary.Sandbox.ApiServer.Resources;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace Canary.Controller.Tests.Informers;

[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "Disposed in DisposeAsync (IAsyncLifetime).")]
public sealed class InformerSandboxTests : IAsyncLifetime
{
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<ResourceEvent<V1ConfigMap>> _events = new();
    private SandboxApiServer _server = null!;
    private IKubernetes _kube = null!;
    private ResourceInformer<V1ConfigMap> _informer = null!;
    private Task _run = Task.CompletedTask;

    public async Task InitializeAsync()
    {
        _server = await SandboxKit.StartAsync(withCrds: false);
        var metrics = new ControllerMetrics(new TestMeterFactory());
        _kube = KubernetesClientFactory.Create(_server.ClientConfiguration(), TimeProvider.System, metrics, 1000, 1000,
            new KubeResilienceOptions { BaseDelay = TimeSpan.FromMilliseconds(20), MaxDelay = TimeSpan.FromMilliseconds(200), MaxRetries = 8 });
        _informer = new ResourceInformer<V1ConfigMap>(KubeSources.ConfigMaps(_kube, "default"),
            new InformerOptions { WatchTimeout = TimeSpan.FromSeconds(30), ErrorBackoffBase = TimeSpan.FromMilliseconds(20), ErrorBackoffMax = TimeSpan.FromMilliseconds(200) },
            TimeProvider.System, NullLogger.Instance, metrics);
        _informer.AddHandler(_events.Enqueue);
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _run.WaitAsync(TimeSpan.FromSeconds(10));
        _kube.Dispose();
        await _server.DisposeAsync();
        _stop.Dispose();
    }

    private void Start() => _run = Task.Run(() => _informer.RunAsync(_stop.Token));

    private void Create(string name, string value) => _server.Store.Create(BuiltInResources.ConfigMaps, "default", SandboxKit.ConfigMap("default", name, value));

    private void Update(string name, string value)
    {
        var map = _server.Store.Get(BuiltInResources.ConfigMaps, "default", name);
        map["data"]!["value"] = value;
        _server.Store.Update(BuiltInResources.ConfigMaps, "default", map);
    }

    private void Delete(string name) => _server.Store.Delete(BuiltInResources.ConfigMaps, "default", name);

    // The server's state as name -> resourceVersion.
    private Dictionary<string, string> ServerState() =>
        _server.Store.List(BuiltInResources.ConfigMaps, "default").Items
            .ToDictionary(o => o["metadata"]!["name"]!.GetValue<string>(), o => o["metadata"]!["resourceVersion"]!.GetValue<string>());

    private Dictionary<string, string> CacheState() =>
        _informer.Store.List().ToDictionary(m => m.Metadata.Name, m => m.Metadata.ResourceVersion);

    private bool Converged()
    {
        var (server, cache) = (ServerState(), CacheState());
        return server.Count == cache.Count && server.All(kv => cache.TryGetValue(kv.Key, out var rv) && rv == kv.Value);
    }

    [Fact]
    public async Task Initial_list_then_add_update_delete_events()
    {
        Create("a", "1");
        Create("b", "1");
        Start();
        await _informer.WaitForSyncAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        await SandboxKit.EventuallyAsync(() => _server.Store.WatcherCount(BuiltInResources.ConfigMaps) > 0);
        Assert.Equal(2, _informer.Store.Count);

        Create("c", "1");
        Update("a", "2");
        Delete("b");
        await SandboxKit.EventuallyAsync(Converged);

        var seen = _events.Select(e => (e.Type, e.Current.Metadata.Name)).ToList();
        Assert.Equal(
            [(ResourceEventType.Added, "a"), (ResourceEventType.Added, "b"), (ResourceEventType.Added, "c"), (ResourceEventType.Updated, "a"), (ResourceEventType.Deleted, "b")],
            seen);
        Assert.Equal("2", _informer.Store.Get("default", "a")!.Data["value"]);
    }

    [Fact]
    public async Task Dropped_watches_resume_without_missing_or_duplicating_events()
    {
        // Applies to watches opened from now on, so set it before the informer starts.
        _server.Faults.DropWatchesAfter = TimeSpan.FromMilliseconds(300);
        Start();
        await _informer.WaitForSyncAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        for (var i = 0; i < 60; i++)
        {
            Create($"m{i}", "0");
            if (i % 3 == 0)
            {
                Update($"m{i}", "1");
            }

            await Task.Delay(20);
        }

        await SandboxKit.EventuallyAsync(Converged);
        var byName = _events.GroupBy(e => e.Current.Metadata.Name).ToDictionary(g => g.Key, g => g.Select(e => e.Type).ToList());
        Assert.Equal(60, byName.Count);
        Assert.All(byName, kv => Assert.Equal(kv.Key.AsSpan(1).ToString() is var n && int.Parse(n, System.Globalization.CultureInfo.InvariantCulture) % 3 == 0
            ? [ResourceEventType.Added, ResourceEventType.Updated]
            : [ResourceEventType.Added], kv.Value));
        Assert.True(_server.Counters.Count("watch", "configmaps") > 2, "watches were re-opened");
        Assert.Equal(1, _server.Counters.Count("list", "configmaps"));
    }

    [Fact]
    public async Task A_compacted_history_relists_on_410_and_converges()
    {
        Create("keep", "0");
        Create("gone", "0");
        // Watches fail until the history is compacted, so the informer resumes from an expired version.
        _server.Faults.SetErrorRate(1.0, verbs: ["watch"], statusCodes: [500]);
        Start();
        await _informer.WaitForSyncAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        await SandboxKit.EventuallyAsync(() => _server.Counters.Count("watch", "configmaps", 500) > 0, because: "a watch was refused");
        Update("keep", "1");
        Delete("gone");
        Create("new", "0");
        _server.Store.Compact();
        _server.Faults.Clear();

        await SandboxKit.EventuallyAsync(() => _server.Counters.Count("list", "configmaps") >= 2, because: "a relist after 410");
        await SandboxKit.EventuallyAsync(Converged);
        Assert.Contains(_events, e => e.Type == ResourceEventType.Deleted && e.Current.Metadata.Name == "gone");
    }

    [Fact]
    public async Task Converges_under_500_and_429_errors_and_watches_dropped_every_few_seconds()
    {
        _server.Faults.SetErrorRate(0.10, statusCodes: [500, 429]);
        _server.Faults.DropWatchesAfter = TimeSpan.FromSeconds(2);
        Start();
        var rng = new Random(3);
        var names = new List<string>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        // Keep changing objects until faults have hit the informer's requests and several watches were dropped. Only the
        // informer talks HTTP here, so under load it may take a while before a 10% fault lands: the cap is generous.
        for (var i = 0; clock.Elapsed < TimeSpan.FromSeconds(120) && (i < 400 || Faulted() == 0 || _server.Counters.Count("watch", "configmaps") < 4); i++)
        {
            var roll = rng.Next(10);
            if (names.Count == 0 || roll < 5)
            {
                var name = $"f{i}";
                Create(name, "0");
                names.Add(name);
            }
            else if (roll < 8)
            {
                Update(names[rng.Next(names.Count)], i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                var name = names[rng.Next(names.Count)];
                Delete(name);
                names.Remove(name);
            }

            if (i % 20 == 0)
            {
                await Task.Delay(100);
            }
        }

        await SandboxKit.EventuallyAsync(Converged, TimeSpan.FromSeconds(60), "cache equals the server after faults");
        Assert.True(Faulted() > 0, "faults were injected");
    }

    private long Faulted() => _server.Counters.Count(statusCode: 500) + _server.Counters.Count(statusCode: 429);
}
