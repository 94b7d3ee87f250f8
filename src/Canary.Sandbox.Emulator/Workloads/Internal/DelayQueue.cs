namespace Canary.Sandbox.Workloads.Internal;

/// <summary>
/// Hands items to a callback once their due time passes on the injected <see cref="TimeProvider"/>, using a single
/// timer armed for the earliest item (so a fake clock drives it, and there is no polling per object).
/// An item scheduled again keeps its earliest due time.
/// </summary>
internal sealed class DelayQueue<T> : IDisposable
    where T : notnull
{
    private readonly TimeProvider _time;
    private readonly Action<T> _onDue;
    private readonly Lock _gate = new();
    private readonly PriorityQueue<T, DateTimeOffset> _queue = new();
    private readonly Dictionary<T, DateTimeOffset> _dueAt = [];
    private readonly ITimer _timer;
    private DateTimeOffset? _armedFor;

    public DelayQueue(TimeProvider time, Action<T> onDue)
    {
        _time = time;
        _onDue = onDue;
        _timer = time.CreateTimer(_ => Fire(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public void Schedule(T item, DateTimeOffset at)
    {
        if (at <= _time.GetUtcNow())
        {
            _onDue(item);
            return;
        }

        lock (_gate)
        {
            if (_dueAt.TryGetValue(item, out var existing) && existing <= at)
            {
                return;
            }

            _dueAt[item] = at;
            _queue.Enqueue(item, at);
            if (_armedFor is null || at < _armedFor)
            {
                Arm(at);
            }
        }
    }

    public void Dispose() => _timer.Dispose();

    private void Fire()
    {
        var ready = new List<T>();
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            _armedFor = null;
            while (_queue.TryPeek(out var item, out var at) && at <= now)
            {
                _queue.Dequeue();

                // Entries superseded by an earlier schedule of the same item are skipped.
                if (_dueAt.TryGetValue(item, out var current) && current == at)
                {
                    _dueAt.Remove(item);
                    ready.Add(item);
                }
            }

            if (_queue.TryPeek(out _, out var next))
            {
                Arm(next);
            }
        }

        foreach (var item in ready)
        {
            _onDue(item);
        }
    }

    // Only called for a future time, so a fake clock's timer never fires re-entrantly inside the lock.
    private void Arm(DateTimeOffset at)
    {
        _armedFor = at;
        var delay = at - _time.GetUtcNow();
        _timer.Change(delay > TimeSpan.Zero ? delay : TimeSpan.FromMilliseconds(1), Timeout.InfiniteTimeSpan);
    }
}
