using System.Collections.Concurrent;
using System.Threading.Channels;

namespace Canary.Sandbox.Workloads.Internal;

/// <summary>
/// A deduplicating queue of keys: a key already waiting is not added twice, and a key is released before it is
/// processed so changes made meanwhile queue it again (the level-triggered contract of client-go's work queue).
/// </summary>
internal sealed class ReconcileQueue
{
    private readonly Channel<WorkKey> _channel = Channel.CreateUnbounded<WorkKey>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<WorkKey, byte> _waiting = new();

    public void Add(WorkKey key)
    {
        if (_waiting.TryAdd(key, 0))
        {
            _channel.Writer.TryWrite(key);
        }
    }

    public async ValueTask<WorkKey> TakeAsync(CancellationToken cancellationToken)
    {
        var key = await _channel.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        _waiting.TryRemove(key, out _);
        return key;
    }
}
