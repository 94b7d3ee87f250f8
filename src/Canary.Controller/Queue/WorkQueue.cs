using System.Diagnostics.CodeAnalysis;

namespace Canary.Controller.Queue;

/// <summary>
/// A client-go style work queue: a key is queued at most once however often it is added, a key being processed is
/// never handed to a second worker (adds while it runs are remembered and it is queued again on
/// <see cref="Done"/>), failures are retried with backoff and <see cref="AddAfter"/> schedules a key for later on
/// one timer, so analysis ticks need no thread or timer per key. Fairness: keys added now (a change: a new Canary, a
/// new revision, a control) and keys whose schedule fell due (analysis ticks, polls, retries) wait in two lanes served
/// in turn, so a thousand due ticks never hold a new Canary back behind them, nor a burst of changes the ticks.
/// </summary>
/// <typeparam name="TKey">The key type, e.g. a Canary's namespace/name.</typeparam>
[SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "It is a queue; the name is client-go's.")]
public sealed class WorkQueue<TKey> : IDisposable
    where TKey : notnull
{
    private readonly Lock _gate = new();
    private readonly Queue<TKey> _prompt = new();
    private readonly Queue<TKey> _scheduled = new();
    private readonly Dictionary<TKey, bool> _dirty = [];
    private bool _lastWasPrompt;
    private readonly Dictionary<TKey, long> _processing = [];
    private readonly Dictionary<TKey, long> _readySince = [];
    private readonly Dictionary<TKey, DateTimeOffset> _waiting = [];
    private readonly PriorityQueue<TKey, DateTimeOffset> _waitingByDue = new();
    private readonly Dictionary<TKey, int> _failures = [];
    private readonly SemaphoreSlim _available = new(0);
    private readonly TimeProvider _time;
    private readonly IBackoff _backoff;
    private readonly IWorkQueueObserver _observer;
    private readonly ITimer _timer;
    private bool _disposed;

    /// <summary>Creates a queue whose delays run on <paramref name="time"/>.</summary>
    public WorkQueue(TimeProvider time, IBackoff? backoff = null, IWorkQueueObserver? observer = null)
    {
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _backoff = backoff ?? ExponentialBackoff.Default;
        _observer = observer ?? NullWorkQueueObserver.Instance;
        _timer = _time.CreateTimer(_ => PromoteDue(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Keys ready to be handed out (the queue depth).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _prompt.Count + _scheduled.Count;
            }
        }
    }

    /// <summary>Keys scheduled for later.</summary>
    public int WaitingCount
    {
        get
        {
            lock (_gate)
            {
                return _waiting.Count;
            }
        }
    }

    /// <summary>Keys currently held by workers.</summary>
    public int ProcessingCount
    {
        get
        {
            lock (_gate)
            {
                return _processing.Count;
            }
        }
    }

    /// <summary>Makes <paramref name="key"/> ready now; a pending delayed add of it is dropped (the next
    /// reconcile decides its own requeue).</summary>
    public void Add(TKey key)
    {
        var signal = false;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _waiting.Remove(key);
            signal = AddLocked(key, scheduled: false);
        }

        if (signal)
        {
            _available.Release();
        }
    }

    /// <summary>Makes <paramref name="key"/> ready after <paramref name="delay"/>; an earlier pending schedule
    /// for the same key wins.</summary>
    public void AddAfter(TKey key, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            Add(key);
            return;
        }

        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            var due = _time.GetUtcNow() + delay;
            if (_waiting.TryGetValue(key, out var existing) && existing <= due)
            {
                return;
            }

            _waiting[key] = due;
            _waitingByDue.Enqueue(key, due);
            ArmTimerLocked();
        }
    }

    /// <summary>Schedules <paramref name="key"/> again after a failure, with backoff growing per failure.</summary>
    public void AddRateLimited(TKey key)
    {
        int attempt;
        lock (_gate)
        {
            attempt = _failures.TryGetValue(key, out var n) ? n + 1 : 1;
            _failures[key] = attempt;
        }

        _observer.Retried();
        AddAfter(key, _backoff.Delay(attempt));
    }

    /// <summary>Clears the failure count of <paramref name="key"/> (call after a success).</summary>
    public void Forget(TKey key)
    {
        lock (_gate)
        {
            _failures.Remove(key);
        }
    }

    /// <summary>How many consecutive failures <paramref name="key"/> has had.</summary>
    public int Failures(TKey key)
    {
        lock (_gate)
        {
            return _failures.GetValueOrDefault(key);
        }
    }

    /// <summary>Waits for a ready key and marks it as processing; the caller must call <see cref="Done"/>.</summary>
    public async Task<TKey> GetAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await _available.WaitAsync(cancellationToken).ConfigureAwait(false);
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                if (!TryDequeueLocked(out var key))
                {
                    continue;
                }

                _dirty.Remove(key);
                var now = _time.GetTimestamp();
                _processing[key] = now;
                if (_readySince.Remove(key, out var since))
                {
                    _observer.Dequeued(_time.GetElapsedTime(since, now));
                }

                return key;
            }
        }
    }

    /// <summary>Releases <paramref name="key"/>; if it was added while processing, it is queued again.</summary>
    public void Done(TKey key)
    {
        var signal = false;
        lock (_gate)
        {
            if (_processing.Remove(key, out var started))
            {
                _observer.Completed(_time.GetElapsedTime(started));
            }

            if (_dirty.TryGetValue(key, out var scheduled) && !_disposed)
            {
                (scheduled ? _scheduled : _prompt).Enqueue(key);
                signal = true;
            }
        }

        if (signal)
        {
            _available.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _prompt.Clear();
            _scheduled.Clear();
            _waiting.Clear();
            _waitingByDue.Clear();
        }

        _timer.Dispose();
        _available.Dispose();
    }

    // Returns true when the key entered a ready lane (a waiter must be signalled).
    private bool AddLocked(TKey key, bool scheduled)
    {
        if (!_dirty.TryAdd(key, scheduled))
        {
            return false;
        }

        _readySince[key] = _time.GetTimestamp();
        _observer.Added();
        if (_processing.ContainsKey(key))
        {
            return false;
        }

        (scheduled ? _scheduled : _prompt).Enqueue(key);
        return true;
    }

    // Alternates between the lanes while both hold keys.
    private bool TryDequeueLocked(out TKey key)
    {
        var preferPrompt = !_lastWasPrompt || _scheduled.Count == 0;
        var first = preferPrompt ? _prompt : _scheduled;
        var second = preferPrompt ? _scheduled : _prompt;
        if (first.TryDequeue(out key!))
        {
            _lastWasPrompt = preferPrompt;
            return true;
        }

        if (second.TryDequeue(out key!))
        {
            _lastWasPrompt = !preferPrompt;
            return true;
        }

        return false;
    }

    private void PromoteDue()
    {
        var released = 0;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            var now = _time.GetUtcNow();
            while (_waitingByDue.TryPeek(out var key, out var due) && due <= now)
            {
                _waitingByDue.Dequeue();
                // Entries superseded by an earlier schedule or an immediate Add are stale.
                if (_waiting.TryGetValue(key, out var current) && current == due)
                {
                    _waiting.Remove(key);
                    if (AddLocked(key, scheduled: true))
                    {
                        released++;
                    }
                }
            }

            ArmTimerLocked();
        }

        if (released > 0)
        {
            _available.Release(released);
        }
    }

    private void ArmTimerLocked()
    {
        // Drop stale heads so the timer is armed for a live schedule.
        while (_waitingByDue.TryPeek(out var key, out var due)
               && (!_waiting.TryGetValue(key, out var current) || current != due))
        {
            _waitingByDue.Dequeue();
        }

        if (!_waitingByDue.TryPeek(out _, out var next))
        {
            _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            return;
        }

        var wait = next - _time.GetUtcNow();
        _timer.Change(wait < TimeSpan.Zero ? TimeSpan.Zero : wait, Timeout.InfiniteTimeSpan);
    }
}
