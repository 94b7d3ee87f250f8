using System.Collections.Concurrent;
using Canary.Controller.Informers;
using Canary.Controller.Tests.Support;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using static Canary.Controller.Tests.Support.FakeListWatchSource;

namespace Canary.Controller.Tests.Informers;

public sealed class ResourceInformerTests : IAsyncDisposable
{
    private readonly FakeListWatchSource _source = new();
    private readonly ConcurrentQueue<ResourceEvent<V1ConfigMap>> _events = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly ResourceInformer<V1ConfigMap> _informer;
    private Task? _run;

    public ResourceInformerTests()
    {
        _informer = new ResourceInformer<V1ConfigMap>(_source, new InformerOptions { ErrorBackoffBase = TimeSpan.FromMilliseconds(1), ErrorBackoffMax = TimeSpan.FromMilliseconds(5), NotServedRetry = TimeSpan.FromMilliseconds(50) },
            TimeProvider.System, NullLogger.Instance);
        _informer.AddHandler(_events.Enqueue);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_run is not null)
        {
            await _run.WaitAsync(TimeSpan.FromSeconds(10));
        }

        _stop.Dispose();
    }

    private void Start() => _run = Task.Run(() => _informer.RunAsync(_stop.Token));

    private static async Task EventuallyAsync(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition());
    }

    private List<(ResourceEventType, string, string?)> Drain()
    {
        var list = new List<(ResourceEventType, string, string?)>();
        while (_events.TryDequeue(out var e))
        {
            list.Add((e.Type, e.Current.Metadata.Name, e.Current.Metadata.ResourceVersion));
        }

        return list;
    }

    [Fact]
    public async Task Lists_all_pages_then_watches_from_the_list_version()
    {
        _source.Lists.Enqueue(() => new([Map("a", "1")], "10", "page2"));
        _source.Lists.Enqueue(() => new([Map("b", "2")], "10", null));
        Start();

        await _informer.WaitForSyncAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        await _source.NextWatchAsync();

        Assert.Equal([null, "page2"], _source.ListCalls);
        Assert.Equal(["10"], _source.WatchCalls);
        Assert.Equal(2, _informer.Store.Count);
        Assert.Equal([(ResourceEventType.Added, "a", "1"), (ResourceEventType.Added, "b", "2")], Drain());
    }

    [Fact]
    public async Task Applies_watch_events_and_resumes_from_the_last_version_including_bookmarks()
    {
        _source.Lists.Enqueue(() => new([Map("a", "1")], "10", null));
        Start();
        var watch = await _source.NextWatchAsync();
        Drain();

        await watch.WriteAsync((WatchEventType.Modified, Map("a", "11")));
        await watch.WriteAsync((WatchEventType.Added, Map("b", "12")));
        await watch.WriteAsync((WatchEventType.Deleted, Map("a", "13")));
        await watch.WriteAsync((WatchEventType.Bookmark, new V1ConfigMap { Metadata = new V1ObjectMeta { ResourceVersion = "20" } }));
        watch.Complete();
        await _source.NextWatchAsync();

        Assert.Equal(["10", "20"], _source.WatchCalls);
        Assert.Single(_source.ListCalls);
        Assert.Null(_informer.Store.Get("default", "a"));
        Assert.Equal("12", _informer.Store.Get("default", "b")!.Metadata.ResourceVersion);
        Assert.Equal(
            [(ResourceEventType.Updated, "a", "11"), (ResourceEventType.Added, "b", "12"), (ResourceEventType.Deleted, "a", "13")],
            Drain());
    }

    [Fact]
    public async Task A_dropped_connection_resumes_from_the_last_version_without_a_relist()
    {
        _source.Lists.Enqueue(() => new([], "10", null));
        Start();
        var watch = await _source.NextWatchAsync();
        await watch.WriteAsync((WatchEventType.Added, Map("a", "11")));
        watch.Complete(new IOException("connection reset"));

        await _source.NextWatchAsync();
        Assert.Equal(["10", "11"], _source.WatchCalls);
        Assert.Single(_source.ListCalls);
    }

    [Fact]
    public async Task Gone_relists_and_emits_only_the_differences()
    {
        _source.Lists.Enqueue(() => new([Map("keep", "1"), Map("change", "2"), Map("remove", "3")], "10", null));
        _source.Lists.Enqueue(() => new([Map("keep", "1"), Map("change", "22"), Map("new", "23")], "30", null));
        Start();
        var watch = await _source.NextWatchAsync();
        Drain();

        watch.Complete(new KubernetesException(new V1Status { Code = 410, Reason = "Expired" }));
        await _source.NextWatchAsync();

        Assert.Equal(["10", "30"], _source.WatchCalls);
        Assert.Equal(2, _source.ListCalls.Count);
        Assert.Equal(
            [(ResourceEventType.Added, "new", "23"), (ResourceEventType.Updated, "change", "22"), (ResourceEventType.Deleted, "remove", "3")],
            Drain().OrderBy(e => e.Item1).ToList());
        Assert.Equal(3, _informer.Store.Count);
    }

    [Fact]
    public async Task An_expired_continue_token_restarts_the_list()
    {
        _source.Lists.Enqueue(() => new([Map("a", "1")], "10", "p2"));
        _source.Lists.Enqueue(() => throw Gone());
        _source.Lists.Enqueue(() => new([Map("a", "1")], "12", "p2b"));
        _source.Lists.Enqueue(() => new([Map("b", "2")], "12", null));
        Start();
        await _source.NextWatchAsync();

        Assert.Equal([null, "p2", null, "p2b"], _source.ListCalls);
        Assert.Equal(["12"], _source.WatchCalls);
        Assert.Equal(2, _informer.Store.Count);
    }

    [Fact]
    public async Task A_kind_that_is_not_served_counts_as_synced_and_is_looked_for_again()
    {
        _source.Lists.Enqueue(() => throw NotFound());
        _source.Lists.Enqueue(() => new([Map("a", "1")], "5", null));
        Start();

        await _informer.WaitForSyncAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        await _source.NextWatchAsync();
        Assert.True(_informer.IsServed);
        Assert.Equal(1, _informer.Store.Count);
        Assert.Equal(2, _source.ListCalls.Count);
    }

    [Fact]
    public async Task A_failing_handler_does_not_stop_the_informer()
    {
        _informer.AddHandler(_ => throw new InvalidOperationException("boom"));
        _source.Lists.Enqueue(() => new([Map("a", "1")], "10", null));
        Start();
        var watch = await _source.NextWatchAsync();
        await watch.WriteAsync((WatchEventType.Added, Map("b", "11")));

        await EventuallyAsync(() => _informer.Store.Count == 2);
    }

    private static HttpOperationException Gone() => Status(System.Net.HttpStatusCode.Gone);

    private static HttpOperationException NotFound() => Status(System.Net.HttpStatusCode.NotFound);

    private static HttpOperationException Status(System.Net.HttpStatusCode code) =>
        new($"status {(int)code}") { Response = new HttpResponseMessageWrapper(new HttpResponseMessage(code), string.Empty) };
}
