using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Canary.Controller.Informers;
using k8s;
using k8s.Models;

namespace Canary.Controller.Tests.Support;

/// <summary>A scripted list/watch source: lists answer from <see cref="Lists"/>, each watch is a channel the test feeds.</summary>
internal sealed class FakeListWatchSource : IListWatchSource<V1ConfigMap>
{
    private readonly Channel<Channel<(WatchEventType, V1ConfigMap)>> _watches = Channel.CreateUnbounded<Channel<(WatchEventType, V1ConfigMap)>>();

    public string Kind => "ConfigMap";

    public Queue<Func<ListPage<V1ConfigMap>>> Lists { get; } = new();

    public List<string?> ListCalls { get; } = [];

    public List<string> WatchCalls { get; } = [];

    public Task<ListPage<V1ConfigMap>> ListAsync(string? continueToken, int limit, CancellationToken cancellationToken)
    {
        lock (ListCalls)
        {
            ListCalls.Add(continueToken);
        }

        return Task.FromResult(Lists.Dequeue()());
    }

    public async IAsyncEnumerable<(WatchEventType Type, V1ConfigMap Object)> WatchAsync(
        string resourceVersion, int timeoutSeconds, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        lock (WatchCalls)
        {
            WatchCalls.Add(resourceVersion);
        }

        var stream = Channel.CreateUnbounded<(WatchEventType, V1ConfigMap)>();
        await _watches.Writer.WriteAsync(stream, cancellationToken);
        await foreach (var item in stream.Reader.ReadAllAsync(cancellationToken))
        {
            yield return item;
        }
    }

    /// <summary>Waits for the informer to open its next watch and returns the writer that feeds it.</summary>
    public async Task<ChannelWriter<(WatchEventType, V1ConfigMap)>> NextWatchAsync() =>
        (await _watches.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10))).Writer;

    public static V1ConfigMap Map(string name, string rv, string ns = "default") =>
        new() { Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, ResourceVersion = rv } };
}
