using Canary.Api.V1Beta1;
using Canary.Rollout.Revisions;
using Canary.Webhooks.Hooks;

namespace Canary.Rollout.StateMachine;

/// <summary>Progressing / WaitingPromotion: readiness, restart on a new revision, aborts, checks, then one strategy step.</summary>
internal static class AnalysisStep
{
    public static Decision Run(TickContext tick)
    {
        var input = tick.Input;
        var primary = tick.Facts.PrimaryReadiness;
        if (primary.State == ReadinessState.Waiting)
        {
            tick.Warning(primary.Message, tick.Phase);
            return tick.Done(tick.ReadinessPoll);
        }

        if (primary.State == ReadinessState.DeadlineExceeded)
        {
            tick.Warning(primary.Message, tick.Phase);
            return RollbackStep.Run(tick);
        }

        if (RevisionChange.HasChanged(tick.Status, tick.Facts.Revision))
        {
            tick.Normal($"New revision detected! Restarting analysis for {input.TargetRef}", CanaryPhase.Progressing);
            tick.SetRoutes(100, 0);
            tick.Act(new ScaleTargetUpAction());
            tick.Status = RevisionStep.StartAnalysis(tick.Status, tick.Facts);
            return tick.Done();
        }

        var canary = tick.Facts.CanaryReadiness;
        if (canary.State == ReadinessState.Waiting)
        {
            tick.Warning(canary.Message, tick.Phase);
            return tick.Done(tick.ReadinessPoll);
        }

        if (canary.State == ReadinessState.DeadlineExceeded)
        {
            tick.Warning($"Rolling back {input.CanaryRef} progress deadline exceeded {canary.Message}", tick.Phase);
            tick.Alert(AlertSeverity.Error, $"Progress deadline exceeded {canary.Message}");
            return RollbackStep.Run(tick);
        }

        if (input.Spec.SkipAnalysis)
        {
            return PromotionStep.Skip(tick);
        }

        if (tick.Answer(Question.RollbackHooks) is not { } rollback)
        {
            return TickContext.Ask(Question.RollbackHooks);
        }

        if (rollback.Verdict == CheckVerdict.Rollback)
        {
            tick.Warning($"Rolling back {input.CanaryRef} manual webhook invoked", tick.Phase);
            tick.Alert(AlertSeverity.Warn, "Rolling back manual webhook invoked");
            return RollbackStep.Run(tick);
        }

        if (tick.Status.FailedChecks >= tick.Plan.Threshold)
        {
            tick.Warning($"Rolling back {input.CanaryRef} failed checks threshold reached {tick.Status.FailedChecks}", tick.Phase);
            tick.Alert(AlertSeverity.Error, $"Failed checks threshold reached {tick.Status.FailedChecks}");
            return RollbackStep.Run(tick);
        }

        return RunChecks(tick) ?? StrategyStep.Run(tick);
    }

    /// <summary>
    /// Pre-rollout hooks once per revision before any traffic; afterwards rollout hooks then metrics whenever the canary gets
    /// traffic. Returns a decision when the tick stops here (question or failed check), null to go on with the strategy step.
    /// </summary>
    private static Decision? RunChecks(TickContext tick)
    {
        var status = tick.Status;
        var mirrored = tick.Plan.Mirror && tick.Facts.Routes.Mirrored;
        var noTrafficYet = status.CanaryWeight == 0 && status.Iterations == 0 && !mirrored;
        var revision = CanaryChecksum.Compute(new Dictionary<string, string>(status.TrackedConfigs, StringComparer.Ordinal), status.LastAppliedSpec);

        if (noTrafficYet)
        {
            if (status.PreRolloutPassedFor == revision)
            {
                // Pre-rollout already passed for this revision; the first step was held by a gate. No traffic = nothing to measure.
                return null;
            }

            if (tick.Answer(Question.PreRollout) is not { } pre)
            {
                return TickContext.Ask(Question.PreRollout);
            }

            tick.Normal($"Starting canary analysis for {tick.Input.TargetRef}", CanaryPhase.Progressing);
            if (pre.Verdict != CheckVerdict.Passed)
            {
                tick.Passed(pre, "Pre-rollout", CanaryPhase.Progressing);
                tick.Warning($"Halt {tick.Input.CanaryRef} advancement pre-rollout check {pre.Decisive?.Name} failed {pre.Decisive?.Reason}", CanaryPhase.Progressing);
                return FailCheck(tick);
            }

            tick.Passed(pre, "Pre-rollout", CanaryPhase.Progressing);
            tick.Status = tick.Status with { PreRolloutPassedFor = revision };
            return null;
        }

        if (tick.Answer(Question.RolloutHooks) is not { } hooks)
        {
            return TickContext.Ask(Question.RolloutHooks);
        }

        if (hooks.Verdict != CheckVerdict.Passed)
        {
            tick.Warning($"Halt {tick.Input.CanaryRef} advancement external check {hooks.Decisive?.Name} failed {hooks.Decisive?.Reason}", tick.Phase);
            return FailCheck(tick);
        }

        if (tick.Answer(Question.Metrics) is not { } metrics)
        {
            return TickContext.Ask(Question.Metrics);
        }

        if (metrics.Verdict != CheckVerdict.Passed)
        {
            foreach (var message in metrics.Messages)
            {
                tick.Warning(message, tick.Phase);
            }

            return FailCheck(tick);
        }

        return null;
    }

    private static TickOutcome FailCheck(TickContext tick)
    {
        tick.Status = tick.Status with { FailedChecks = tick.Status.FailedChecks + 1 };
        return tick.Done();
    }
}
