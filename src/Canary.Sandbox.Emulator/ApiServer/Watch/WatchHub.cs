namespace Canary.Sandbox.ApiServer.Watch;

/// <summary>
/// The event history of one resource (a ring of the last N changes) and its subscribers.
/// Every method runs under the store lock. A watch may resume from any resource version newer than
/// the newest event the ring has dropped; anything older is 410 Gone.
/// </summary>
internal sealed class WatchHub(int capacity)
{
    private readonly HubEvent?[] _ring = new HubEvent?[Math.Max(1, capacity)];
    private readonly List<WatchSubscription> _subscribers = [];
    private int _start;
    private int _count;

    /// <summary>Resource version of the newest event no longer retained (0 = nothing dropped).</summary>
    public long CompactedThrough { get; private set; }

    public int SubscriberCount => _subscribers.Count;

    public void Publish(HubEvent e)
    {
        if (_count == _ring.Length)
        {
            CompactedThrough = _ring[_start]!.ResourceVersion;
            _ring[_start] = e;
            _start = (_start + 1) % _ring.Length;
        }
        else
        {
            _ring[(_start + _count) % _ring.Length] = e;
            _count++;
        }

        foreach (var s in _subscribers)
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
            for (var i = 0; i < _count; i++)
            {
                var e = _ring[(_start + i) % _ring.Length]!;
                if (e.ResourceVersion > rv)
                {
                    subscription.Offer(e);
                }
            }
        }

        _subscribers.Add(subscription);
    }

    public void Unsubscribe(WatchSubscription subscription) => _subscribers.Remove(subscription);

    /// <summary>Ends every open watch (the resource stopped being served).</summary>
    public void CompleteAll()
    {
        foreach (var s in _subscribers)
        {
            s.Complete();
        }

        _subscribers.Clear();
    }

    /// <summary>Forgets all history up to the given version, as an etcd compaction would.</summary>
    public void Compact(long throughResourceVersion)
    {
        Array.Clear(_ring);
        _start = 0;
        _count = 0;
        CompactedThrough = Math.Max(CompactedThrough, throughResourceVersion);
    }
}
