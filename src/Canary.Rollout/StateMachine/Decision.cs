namespace Canary.Rollout.StateMachine;

/// <summary>The result of deciding with the answers at hand: either a question to answer first, or the tick's outcome.</summary>
public abstract record Decision;

/// <summary>The decision needs <paramref name="Question"/> answered; call the decider again with the answer.</summary>
/// <param name="Question">The input needed.</param>
public sealed record NeedsAnswer(Question Question) : Decision;

/// <summary>What this tick does: actions in order, then the status checkpoint, then when to look again.</summary>
/// <param name="Actions">Side effects, in order; executed before the status is written so the checkpoint never runs ahead.</param>
/// <param name="NextStatus">The status to write (equal to the input status when nothing changed).</param>
/// <param name="RequeueAfter">
/// When to tick again; null in steady phases (Initialized, Succeeded, Failed, Terminated): nothing there waits on time,
/// and every change that matters (Canary spec, target, its configs, primary, Services, router objects) wakes the Canary.
/// </param>
public sealed record TickOutcome(IReadOnlyList<RolloutAction> Actions, RolloutStatus NextStatus, TimeSpan? RequeueAfter) : Decision
{
    /// <summary>
    /// False when the tick must not write the rollout fields at all (an invalid or suspended Canary, a deletion that
    /// only releases the finalizer): only its condition actions touch the status.
    /// </summary>
    public bool Checkpoint { get; init; } = true;

    /// <summary>Events among the actions, in order.</summary>
    public IEnumerable<RolloutEvent> Events => Actions.OfType<EmitEventAction>().Select(a => a.Event);
}
