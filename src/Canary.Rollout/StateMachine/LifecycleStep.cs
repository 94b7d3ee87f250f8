using Canary.Api.V1Beta1;
using Canary.Rollout.Status;

namespace Canary.Rollout.StateMachine;

/// <summary>
/// What comes before the rollout proper: an invalid spec is reported once and nothing is touched; the finalizer follows
/// revertOnDeletion; a suspended Canary only says so.
/// </summary>
internal static class LifecycleStep
{
    /// <summary>The reported outcome for an invalid spec, or null to go on with the rollout.</summary>
    public static TickOutcome? Gate(TickContext tick)
    {
        var lifecycle = tick.Input.Lifecycle;
        if (lifecycle.InvalidSpec is { } problem)
        {
            // Nothing is created or scaled; the next tick comes with the next spec change (a new generation).
            var message = $"invalid canary: {problem}";
            if (lifecycle.ReportedInvalidSpec != message)
            {
                // The event goes first so a failed status write repeats the report rather than losing it.
                tick.Warning(message, tick.Phase);
                tick.Act(new SetConditionAction(RolloutConditions.Validated, "False", RolloutConditions.InvalidSpec, message));
            }

            return tick.Untouched(null);
        }

        if (lifecycle.ValidatedConditionStale)
        {
            tick.Act(new SetConditionAction(RolloutConditions.Validated, "True", RolloutConditions.ValidSpec, "The spec is valid."));
        }

        var revert = tick.Input.Spec.RevertOnDeletion;
        if (revert && !lifecycle.HasFinalizer)
        {
            tick.Act(new AddFinalizerAction());
        }
        else if (!revert && lifecycle.HasFinalizer)
        {
            tick.Act(new RemoveFinalizerAction());
        }

        if (tick.Input.Spec.Suspend)
        {
            tick.Normal("skipping canary run as object is suspended", tick.Phase);
            return tick.Untouched(tick.Input.Spec.Analysis.Interval);
        }

        return null;
    }
}
