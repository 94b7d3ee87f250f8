using System.Collections.Concurrent;
using Canary.Controller.Reconciliation;
using CanaryResource = Canary.Api.V1Beta1.Canary;

namespace Canary.Controller.Composition;

/// <summary>
/// Keeps analysis ticks at the pace the engine asks for. Cache events (a Deployment rolling, a Service touched, our own
/// writes) wake a Canary's key at any time, but every engine tick advances the rollout one step (a weight, an
/// iteration, a failed check), so an event before the requested time only re-arms the timer — as Flagger ticks
/// strictly per interval. A spec change (generation) ticks at once, and so does every event during initialization and
/// deletion: those ticks only wait for the primary (or the target) to be ready, so reacting to its readiness makes a
/// new Canary Initialized as soon as its primary is, instead of at the next readiness poll (up to 10 s later).
/// </summary>
public sealed class TickSchedule(TimeProvider time)
{
    private readonly ConcurrentDictionary<CanaryKey, Entry> _entries = new();

    /// <summary>True (with the time left) when <paramref name="canary"/> should not tick yet.</summary>
    public bool ShouldWait(CanaryKey key, CanaryResource? canary, out TimeSpan wait)
    {
        wait = TimeSpan.Zero;
        if (canary is null || canary.Metadata.DeletionTimestamp is not null || canary.Status?.Phase == Api.V1Beta1.CanaryPhase.Initializing
            || !_entries.TryGetValue(key, out var entry) || !entry.Matches(canary))
        {
            return false;
        }

        wait = entry.Due - time.GetUtcNow();
        return wait > TimeSpan.Zero;
    }

    /// <summary>Records a tick of <paramref name="canary"/> and when the engine wants the next one (null: on change only).</summary>
    public void Ticked(CanaryKey key, CanaryResource? canary, TimeSpan? next)
    {
        if (canary is null || next is null)
        {
            _entries.TryRemove(key, out _);
            return;
        }

        _entries[key] = new Entry(canary.Metadata.Generation, time.GetUtcNow() + next.Value);
    }

    private sealed record Entry(long? Generation, DateTimeOffset Due)
    {
        public bool Matches(CanaryResource canary) => canary.Metadata.Generation == Generation;
    }
}
