using System.Collections.Concurrent;
using Canary.Rollout.StateMachine;

namespace Canary.Rollout.Engine;

/// <summary>
/// What a tick that failed before its checkpoint already told people (Events, alerts), so that its repeat from the same
/// checkpointed status does not tell them again.
/// </summary>
/// <remarks>
/// Actions run before the status write, so a failed write (or a failed action after an Event) repeats the whole tick;
/// every action is idempotent except telling people. Kept in memory: after a restart a repeat may tell once more, which
/// is the at-least-once a restart allows; within one process a step is told once (found by the chaos suite, where a 500
/// on the status write doubled "New revision detected!").
/// </remarks>
internal sealed class UnfinishedTicks
{
    private readonly ConcurrentDictionary<string, Attempt> _attempts = new(StringComparer.Ordinal);

    /// <summary>The notifications of the tick of Canary <paramref name="uid"/> that starts from <paramref name="from"/>.</summary>
    public Attempt Begin(string uid, RolloutStatus from)
    {
        if (_attempts.TryGetValue(uid, out var earlier) && earlier.From.SameAs(from))
        {
            return earlier.Repeat();
        }

        var attempt = new Attempt(from, []);
        _attempts[uid] = attempt;
        return attempt;
    }

    /// <summary>The tick reached its checkpoint: its next tick is a new one.</summary>
    public void Finished(string uid) => _attempts.TryRemove(uid, out _);

    /// <summary>One attempt at a tick: what it has told, and what an earlier attempt told that this one has not met yet.</summary>
    public sealed class Attempt(RolloutStatus from, List<RolloutAction> told)
    {
        private readonly List<RolloutAction> _toldBefore = [.. told];

        internal RolloutStatus From { get; } = from;

        /// <summary>False if an earlier attempt from the same checkpoint already told this (each telling is skipped once).</summary>
        public bool ShouldTell(RolloutAction notification) => !_toldBefore.Remove(notification);

        /// <summary>Records that <paramref name="notification"/> was told.</summary>
        public void Told(RolloutAction notification) => told.Add(notification);

        internal Attempt Repeat() => new(From, told);
    }
}
