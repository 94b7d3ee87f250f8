using Canary.Api.V1Beta1;

namespace Canary.Rollout.StateMachine;

/// <summary>A new revision in Initialized/Succeeded/Failed, or one held in Waiting: pass the confirm-rollout gate, scale up, start.</summary>
internal static class RevisionStep
{
    public static Decision Run(TickContext tick)
    {
        var primary = tick.Facts.PrimaryReadiness;
        if (!primary.IsReady)
        {
            tick.Warning(primary.Message, tick.Phase);
            return tick.Done(tick.ReadinessPoll);
        }

        if (tick.Answer(Question.ConfirmRollout) is not { } gate)
        {
            return TickContext.Ask(Question.ConfirmRollout);
        }

        if (gate.Verdict != CheckVerdict.Passed)
        {
            tick.Warning($"Halt {tick.Input.CanaryRef} advancement waiting for approval {gate.Decisive?.Name}", tick.Phase);
            if (tick.Phase != CanaryPhase.Waiting && !gate.MuteAlert)
            {
                tick.Alert(AlertSeverity.Warn, "Canary is waiting for approval.");
            }

            tick.Status = tick.Status with { Phase = CanaryPhase.Waiting };
            return tick.Done();
        }

        tick.Passed(gate, "Confirm-rollout", tick.Phase);
        tick.Normal($"New revision detected! Scaling up {tick.Input.TargetRef}", CanaryPhase.Progressing);
        tick.Alert(AlertSeverity.Info, "New revision detected, progressing canary analysis.", fields: true);
        tick.Act(new ScaleTargetUpAction());
        tick.Status = StartAnalysis(tick.Status, tick.Facts);

        // The analysis starts next tick, once the canary had an interval to roll out (Flagger's timing).
        return tick.Done();
    }

    /// <summary>Progressing with zeroed counters and the observed revision checkpointed.</summary>
    public static RolloutStatus StartAnalysis(RolloutStatus status, ObservedFacts facts) => status with
    {
        Phase = CanaryPhase.Progressing,
        CanaryWeight = 0,
        FailedChecks = 0,
        Iterations = 0,
        LastAppliedSpec = facts.Revision.SpecHash,
        TrackedConfigs = facts.Revision.Configs,
        PreRolloutPassedFor = null,
        InconclusiveChecks = 0,
        EvidenceShortfall = null,
        Checks = [],
        Evidence = [],
        Timeline = [],
        // The confirm-rollout answer that let this release start belongs to it; earlier releases' answers do not.
        Webhooks = [.. status.Webhooks.Where(w => w.Type == Api.Vocabulary.WebhookType.ConfirmRollout.ToName())],
        RetryRequested = false,
    };
}
