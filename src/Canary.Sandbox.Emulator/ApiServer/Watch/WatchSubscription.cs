using System.Threading.Channels;
using Canary.Sandbox.ApiServer.Store;

namespace Canary.Sandbox.ApiServer.Watch;

/// <summary>
/// One open watch: a filter and a queue the hub writes to while holding the store lock, so events arrive in
/// resource-version order and a bookmark enqueued under the same lock never overtakes an event.
/// </summary>
internal sealed class WatchSubscription
{
    private readonly Channel<WatchItem> channel = Channel.CreateUnbounded<WatchItem>();
    private readonly Func<StoredObject, bool> filter;

    public WatchSubscription(Func<StoredObject, bool> filter) => this.filter = filter;

    public ChannelReader<WatchItem> Reader => channel.Reader;

    /// <summary>Highest resource version enqueued so far (events and bookmarks).</summary>
    public long LastResourceVersion { get; private set; }

    public void Enqueue(WatchItem item)
    {
        LastResourceVersion = Math.Max(LastResourceVersion, item.ResourceVersion);
        channel.Writer.TryWrite(item);
    }

    /// <summary>Translates a change into what this watcher sees: label changes move objects in and out of the selection.</summary>
    public void Offer(HubEvent e)
    {
        var now = filter(e.Object);
        var before = e.Previous is not null && filter(e.Previous);
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

    public bool Matches(StoredObject obj) => filter(obj);

    public void Complete() => channel.Writer.TryComplete();
}
