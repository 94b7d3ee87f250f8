using System.Threading.Channels;
using Canary.Sandbox.ApiServer.Store;

namespace Canary.Sandbox.ApiServer.Watch;

/// <summary>
/// One open watch: a filter and a queue the hub writes to while holding the store lock, so events arrive in
/// resource-version order and a bookmark enqueued under the same lock never overtakes an event.
/// </summary>
internal sealed class WatchSubscription
{
    private readonly Channel<WatchItem> _channel = Channel.CreateUnbounded<WatchItem>();
    private readonly Func<StoredObject, bool> _filter;

    public WatchSubscription(Func<StoredObject, bool> filter) => _filter = filter;

    public ChannelReader<WatchItem> Reader => _channel.Reader;

    /// <summary>Highest resource version enqueued so far (events and bookmarks).</summary>
    public long LastResourceVersion { get; private set; }

    public void Enqueue(WatchItem item)
    {
        LastResourceVersion = Math.Max(LastResourceVersion, item.ResourceVersion);
        _channel.Writer.TryWrite(item);
    }

    /// <summary>Translates a change into what this watcher sees: label changes move objects in and out of the selection.</summary>
    public void Offer(HubEvent e)
    {
        var now = _filter(e.Object);
        var before = e.Previous is not null && _filter(e.Previous);
        WatchEventType? type = e.Type switch
        {
            WatchEventType.Added when now => WatchEventType.Added,
            WatchEventType.Modified when now && before => WatchEventType.Modified,
            WatchEventType.Modified when now => WatchEventType.Added,
            WatchEventType.Modified when before => WatchEventType.Deleted,
            WatchEventType.Deleted when now || before => WatchEventType.Deleted,
            _ => null,
        };
        if (type is { } t)
        {
            Enqueue(new WatchItem(t, e.Object, e.ResourceVersion));
        }
    }

    public bool Matches(StoredObject obj) => _filter(obj);

    public void Complete() => _channel.Writer.TryComplete();
}
