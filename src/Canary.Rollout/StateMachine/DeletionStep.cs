using Canary.Api.V1Beta1;

namespace Canary.Rollout.StateMachine;

/// <summary>
/// Deletion with revertOnDeletion: Terminating → scale the user's workload back up and wait until it is ready → route
/// the apex Service and the provider back to it → Terminated → release the finalizer (garbage collection then removes the
/// primary and the generated objects). Without revertOnDeletion the finalizer is simply released.
/// </summary>
internal static class DeletionStep
{
    public static Decision Run(TickContext tick)
    {
        var lifecycle = tick.Input.Lifecycle;
        if (!lifecycle.HasFinalizer)
        {
            return tick.Untouched(null);
        }

        if (!tick.Input.Spec.RevertOnDeletion)
        {
            tick.Act(new RemoveFinalizerAction());
            return tick.Untouched(null);
        }

        if (tick.Phase == CanaryPhase.Terminated)
        {
            // Already handed back; the finalizer removal has not reached this copy yet (a stale cache or a lost
            // request). Reverting again would read a primary that garbage collection is removing.
            tick.Act(new RemoveFinalizerAction());
            return tick.Untouched(null);
        }

        if (tick.Phase != CanaryPhase.Terminating)
        {
            tick.Normal($"Terminating canary {tick.Input.CanaryRef}", CanaryPhase.Terminating);
            tick.Status = tick.Status with { Phase = CanaryPhase.Terminating };
        }

        if (!lifecycle.TargetMissing)
        {
            if (tick.Answer(Question.RevertTarget) is not { } revert)
            {
                return TickContext.Ask(Question.RevertTarget);
            }

            switch (revert.Verdict)
            {
                case CheckVerdict.Wait:
                    tick.Warning(string.Join("; ", revert.Messages), CanaryPhase.Terminating);
                    return tick.Done(lifecycle.DeletionPoll);
                case CheckVerdict.Failed:
                    // The target went away under us: there is nothing to give the traffic back to; let the Canary go.
                    break;
            }

            tick.Act(new FinalizeServicesAction());
        }

        tick.Act(new FinalizeRouterAction());
        tick.Status = tick.Status with { Phase = CanaryPhase.Terminated };
        tick.Normal($"Terminated canary {tick.Input.CanaryRef}", CanaryPhase.Terminated);
        tick.Act(new RemoveFinalizerAction());
        return tick.Idle();
    }
}
