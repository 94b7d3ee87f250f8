namespace Canary.Sandbox.ApiServer.Watch;

/// <summary>
/// The event history of one resource (a ring of the last N changes) and its subscribers.
/// Every method runs under the store lock. A watch may resume from any resource version newer than
/// the newest event the ring has dropped; anything older is 410 Gone.
/// </summary>
internal sealed class WatchHub(int capacity)
{
    private readonly HubEvent?[] ring = new HubEvent?[Math.Max(1, capacity)];
    private readonly List<WatchSubscription> subscribers = [];
    private int start;
    private int count;

    /// <summary>Resource version of the newest event no longer retained (0 = nothing dropped).</summary>
    public long CompactedThrough { get; private set; }

    public int SubscriberCount => subscribers.Count;

    public void Publish(HubEvent e)
    {
        if (count == ring.Length)
        {
            CompactedThrough = ring[start]!.ResourceVersion;
            ring[start] = e;
            start = (start + 1) % ring.Length;
        }
        else
        {
            ring[(start + count) % ring.Length] = e;
            count++;
        }

        foreach (var s in subscribers)
        {
            s.Offer(e);
        }
    }

    /// <summary>False when events after <paramref name="fromResourceVersion"/> may have been dropped.</summary>
    public bool CanResumeFrom(long fromResourceVersion) => fromResourceVersion >= CompactedThrough;

    /// <summary>Registers a subscriber, first replaying the retained events newer than the given version.</summary>
    public void Subscribe(WatchSubscription subscription, long? replayAfter)
    {
        if (replayAfter is { } rv)
        {
            for (var i = 0; i < count; i++)
            {
                var e = ring[(start + i) % ring.Length]!;
                if (e.ResourceVersion > rv)
                {
                    subscription.Offer(e);
                }
            }
        }

        subscribers.Add(subscription);
    }

    public void Unsubscribe(WatchSubscription subscription) => subscribers.Remove(subscription);

    /// <summary>Ends every open watch (the resource stopped being served).</summary>
    public void CompleteAll()
    {
        foreach (var s in subscribers)
        {
            s.Complete();
        }

        subscribers.Clear();
    }

    /// <summary>Forgets all history up to the given version, as an etcd compaction would.</summary>
    public void Compact(long throughResourceVersion)
    {
        Array.Clear(ring);
        start = 0;
        count = 0;
        CompactedThrough = Math.Max(CompactedThrough, throughResourceVersion);
    }
}
