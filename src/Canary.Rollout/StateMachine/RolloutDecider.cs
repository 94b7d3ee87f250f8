using Canary.Api.V1Beta1;
using Canary.Rollout.Revisions;

namespace Canary.Rollout.StateMachine;

/// <summary>
/// The rollout state machine: a pure function of (effective spec, status checkpoint, lifecycle and observed facts, clock,
/// answers so far) to the next <see cref="Decision"/>, from the first tick to deletion. Call it with <see cref="TickAnswers.None"/>, answer each <see cref="NeedsAnswer"/>
/// and call it again with the answer added, until it returns a <see cref="TickOutcome"/>.
/// </summary>
public static class RolloutDecider
{
    /// <summary>Decides the next step of the rollout described by <paramref name="input"/>.</summary>
    public static Decision Decide(TickInput input, TickAnswers answers)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(answers);
        var tick = new TickContext(input, answers);
        if (input.Lifecycle.Deleting)
        {
            return DeletionStep.Run(tick);
        }

        if (LifecycleStep.Gate(tick) is { } gated)
        {
            return gated;
        }

        switch (tick.Phase)
        {
            case CanaryPhase.None or CanaryPhase.Initializing:
                return InitializationStep.Run(tick);
            case CanaryPhase.Terminating or CanaryPhase.Terminated:
                // Only a deleted Canary gets here (a deletionTimestamp is never taken back): nothing left to roll out.
                return tick.Idle();
        }

        // Every tick after initialization re-applies the generated Services/routing objects so drift is corrected.
        tick.Act(new ReconcileRouterAction());
        if (ControlStep.Run(tick) is { } controlled)
        {
            return controlled;
        }

        return tick.Phase switch
        {
            CanaryPhase.Initialized or CanaryPhase.Succeeded or CanaryPhase.Failed =>
                RevisionChange.HasChanged(tick.Status, input.Facts.Revision) || tick.Status.RetryRequested ? RevisionStep.Run(tick) : tick.Idle(),
            CanaryPhase.Waiting => RevisionStep.Run(tick),
            CanaryPhase.Progressing or CanaryPhase.WaitingPromotion => AnalysisStep.Run(tick),
            CanaryPhase.Promoting => PromotionStep.Promoting(tick),
            CanaryPhase.Finalising => PromotionStep.Finalising(tick),
            _ => tick.Done(),
        };
    }
}
