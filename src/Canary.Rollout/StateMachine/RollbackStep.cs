using Canary.Api.V1Beta1;

namespace Canary.Rollout.StateMachine;

/// <summary>Rollback: all traffic to the primary, target scaled to zero, Failed; the primary keeps the last promoted version.</summary>
internal static class RollbackStep
{
    public static TickOutcome Run(TickContext tick)
    {
        tick.SetRoutes(100, 0);
        // Flagger's wording, except where nothing is scaled (Knative scales its revisions itself).
        tick.Warning(tick.Input.TargetKind == TargetKinds.KnativeService
            ? $"Canary failed! Traffic back on the primary revision of {tick.Input.TargetRef}"
            : $"Canary failed! Scaling down {tick.Input.TargetRef}", CanaryPhase.Failed);
        tick.Act(new ScaleTargetToZeroAction());
        var revision = tick.Facts.Revision;

        // The failed revision is checkpointed so it is not retried until the target changes again.
        tick.Status = tick.Status with
        {
            Phase = CanaryPhase.Failed,
            CanaryWeight = 0,
            FailedChecks = 0,
            Iterations = 0,
            LastAppliedSpec = revision.SpecHash,
            TrackedConfigs = revision.Configs,
        };
        tick.PostRollout(CanaryPhase.Failed);
        return tick.Idle();
    }
}
