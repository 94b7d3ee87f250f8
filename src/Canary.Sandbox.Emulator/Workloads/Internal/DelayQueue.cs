namespace Canary.Sandbox.Workloads.Internal;

/// <summary>
/// Hands items to a callback once their due time passes on the injected <see cref="TimeProvider"/>, using a single
/// timer armed for the earliest item (so a fake clock drives it, and there is no polling per object).
/// An item scheduled again keeps its earliest due time.
/// </summary>
internal sealed class DelayQueue<T> : IDisposable
    where T : notnull
{
    private readonly TimeProvider time;
    private readonly Action<T> onDue;
    private readonly Lock gate = new();
    private readonly PriorityQueue<T, DateTimeOffset> queue = new();
    private readonly Dictionary<T, DateTimeOffset> dueAt = [];
    private readonly ITimer timer;
    private DateTimeOffset? armedFor;

    public DelayQueue(TimeProvider time, Action<T> onDue)
    {
        this.time = time;
        this.onDue = onDue;
        timer = time.CreateTimer(_ => Fire(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public void Schedule(T item, DateTimeOffset at)
    {
        if (at <= time.GetUtcNow())
        {
            onDue(item);
            return;
        }

        lock (gate)
        {
            if (dueAt.TryGetValue(item, out var existing) && existing <= at)
            {
                return;
            }

            dueAt[item] = at;
            queue.Enqueue(item, at);
            if (armedFor is null || at < armedFor)
            {
                Arm(at);
            }
        }
    }

    public void Dispose() => timer.Dispose();

    private void Fire()
    {
        var ready = new List<T>();
        lock (gate)
        {
            var now = time.GetUtcNow();
            armedFor = null;
            while (queue.TryPeek(out var item, out var at) && at <= now)
            {
                queue.Dequeue();

                // Entries superseded by an earlier schedule of the same item are skipped.
                if (dueAt.TryGetValue(item, out var current) && current == at)
                {
                    dueAt.Remove(item);
                    ready.Add(item);
                }
            }

            if (queue.TryPeek(out _, out var next))
            {
                Arm(next);
            }
        }

        foreach (var item in ready)
        {
            onDue(item);
        }
    }

    // Only called for a future time, so a fake clock's timer never fires re-entrantly inside the lock.
    private void Arm(DateTimeOffset at)
    {
        armedFor = at;
        var delay = at - time.GetUtcNow();
        timer.Change(delay > TimeSpan.Zero ? delay : TimeSpan.FromMilliseconds(1), Timeout.InfiniteTimeSpan);
    }
}
