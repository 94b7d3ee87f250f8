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

        if (input.Spec.SkipAnalysis || tick.Status.SkipAnalysisOnce)
        {
            return PromotionStep.Skip(tick);
        }

        // A promote control skips the remaining steps; without force the confirm-promotion gates still decide.
        switch (tick.Status.RequestedPromotion)
        {
            case CanaryControls.PromotionForced:
                return PromotionStep.Promote(tick);
            case CanaryControls.PromotionGated:
                return PromotionStep.Gate(tick);
        }

        if (tick.Status.Paused)
        {
            return Paused(tick);
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
            // With the judge the alert carries the last failed check's reason too (Flagger's text alone says nothing of why).
            var lastFailure = input.Spec.Analysis.Judge is null ? null : tick.Status.Checks.LastOrDefault(c => c.Verdict == CheckVerdicts.Fail);
            tick.Alert(AlertSeverity.Error, $"Failed checks threshold reached {tick.Status.FailedChecks}{(lastFailure is null ? string.Empty : $": {lastFailure.Message}")}");
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
        var noTrafficYet = status.CanaryWeight == 0 && status.Iterations == 0 && !tick.MirrorStepDone;
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

        tick.RecordChecks(metrics.Checks);
        if (metrics.Verdict == CheckVerdict.Failed)
        {
            foreach (var message in metrics.Messages)
            {
                tick.Warning(message, tick.Phase);
            }

            tick.Status = tick.Status with { InconclusiveChecks = 0, EvidenceShortfall = null };
            if (metrics.FailFast)
            {
                var reason = metrics.Messages.Count > 0 ? metrics.Messages[0] : "canary worse than primary";
                tick.Warning($"Rolling back {tick.Input.CanaryRef} failing fast on overwhelming evidence: {reason}", tick.Phase);
                tick.Alert(AlertSeverity.Error, $"Rolled back at once on overwhelming evidence: {reason}");
                return RollbackStep.Run(tick);
            }

            return FailCheck(tick);
        }

        if (metrics.Verdict == CheckVerdict.Inconclusive)
        {
            return Inconclusive(tick, metrics);
        }

        tick.Status = tick.Status with { InconclusiveChecks = 0, EvidenceShortfall = null };
        return null;
    }

    /// <summary>
    /// Not enough evidence: hold the weight without a failed check. Reaching the judge's limit of inconclusive checks in a
    /// row is said once (Warning Event and alert; the status condition follows the count), then the spec decides: keep
    /// waiting, or roll back.
    /// </summary>
    private static TickOutcome Inconclusive(TickContext tick, CheckOutcome metrics)
    {
        var count = tick.Status.InconclusiveChecks + 1;
        tick.Status = tick.Status with { InconclusiveChecks = count };
        var reason = string.Join("; ", metrics.Messages);
        tick.Normal(reason, tick.Phase);
        var judge = tick.Input.Spec.Analysis.Judge;
        if (judge is null || count < judge.MaxInconclusive)
        {
            return tick.Done();
        }

        if (judge.FailWhenInconclusive)
        {
            tick.Warning($"Rolling back {tick.Input.CanaryRef} after {count} inconclusive checks in a row: {reason}", tick.Phase);
            tick.Alert(AlertSeverity.Error, $"Rolled back after {count} inconclusive checks in a row: {reason}");
            return RollbackStep.Run(tick);
        }

        tick.Status = tick.Status with { EvidenceShortfall = $"{count} inconclusive checks in a row: {reason}" };
        if (count == judge.MaxInconclusive)
        {
            tick.Warning($"Waiting for evidence: {count} inconclusive checks in a row for {tick.Input.CanaryRef}: {reason}", tick.Phase);
            tick.Alert(AlertSeverity.Warn, $"Waiting for evidence after {count} inconclusive checks in a row: {reason}");
        }

        return tick.Done();
    }

    /// <summary>
    /// Held by a pause control: the metrics keep being checked and recorded while the canary gets traffic, but a failed
    /// check is not counted and the weight never moves; resume or abort end it.
    /// </summary>
    private static Decision Paused(TickContext tick)
    {
        var status = tick.Status;
        if (status.CanaryWeight == 0 && status.Iterations == 0 && !tick.MirrorStepDone)
        {
            return tick.Done();
        }

        if (tick.Answer(Question.Metrics) is not { } metrics)
        {
            return TickContext.Ask(Question.Metrics);
        }

        tick.RecordChecks(metrics.Checks);
        return tick.Done();
    }

    private static TickOutcome FailCheck(TickContext tick)
    {
        tick.Status = tick.Status with { FailedChecks = tick.Status.FailedChecks + 1 };
        return tick.Done();
    }
}
