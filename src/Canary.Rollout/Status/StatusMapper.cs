using Canary.Api.V1Beta1;
using Canary.MetricTemplates.Judge.Statistics;
using Canary.Rollout.StateMachine;

namespace Canary.Rollout.Status;

/// <summary>Applies a <see cref="RolloutStatus"/> to the stored <see cref="CanaryStatus"/>, keeping fields the machine does not own.</summary>
public static class StatusMapper
{
    /// <summary>
    /// A new <see cref="CanaryStatus"/>: <paramref name="current"/> with the rollout fields of <paramref name="next"/>,
    /// lastTransitionTime = <paramref name="now"/>, the Promoted and PreRolloutPassed conditions and observedGeneration.
    /// </summary>
    public static CanaryStatus Apply(CanaryStatus? current, RolloutStatus next, DateTimeOffset now, long? generation, string targetKind)
    {
        ArgumentNullException.ThrowIfNull(next);
        var time = now.UtcDateTime;
        var (status, reason, message) = RolloutConditions.PromotedFor(next.Phase, targetKind);
        var conditions = RolloutConditions.Upsert(current?.Conditions, RolloutConditions.Promoted, status, reason, message, time, generation);
        conditions = next.PreRolloutPassedFor is { } revision
            ? RolloutConditions.Upsert(conditions, RolloutConditions.PreRolloutPassed, "True", "Passed", RolloutConditions.PreRolloutMessage(revision), time, generation)
            : conditions.Any(c => c.Type == RolloutConditions.PreRolloutPassed)
                ? RolloutConditions.Upsert(conditions, RolloutConditions.PreRolloutPassed, "False", "NotRun", "Pre-rollout hooks have not passed for this revision.", time, generation)
                : conditions;

        conditions = next.EvidenceShortfall is { } shortfall
            ? RolloutConditions.Upsert(conditions, RolloutConditions.Conclusive, "False", "InsufficientEvidence", shortfall, time, generation)
            : conditions.Any(c => c.Type == RolloutConditions.Conclusive)
                ? RolloutConditions.Upsert(conditions, RolloutConditions.Conclusive, "True", "EnoughEvidence", "The judge's last checks were conclusive.", time, generation)
                : conditions;
        return new CanaryStatus
        {
            Phase = next.Phase,
            CanaryWeight = next.CanaryWeight,
            FailedChecks = next.FailedChecks,
            Iterations = next.Iterations,
            LastAppliedSpec = next.LastAppliedSpec,
            LastPromotedSpec = next.LastPromotedSpec,
            TrackedConfigs = next.TrackedConfigs.Count == 0 ? null : new Dictionary<string, string>(next.TrackedConfigs, StringComparer.Ordinal),
            LastTransitionTime = time,
            StepStartTime = next.StepStartTime?.UtcDateTime,
            InconclusiveChecks = next.InconclusiveChecks == 0 ? null : next.InconclusiveChecks,
            Checks = next.Checks.Count == 0 ? null : [.. next.Checks.Select(WriteCheck)],
            Evidence = next.Evidence.Count == 0 ? null : [.. next.Evidence.Select(WriteEvidence)],
            SessionAffinityCookie = next.SessionAffinityCookie,
            PrimarySessionAffinityCookie = next.PrimarySessionAffinityCookie,
            PreviousSessionAffinityCookie = next.PreviousSessionAffinityCookie,
            Paused = next.Paused ? true : null,
            RequestedPromotion = next.RequestedPromotion,
            SkipAnalysisOnce = next.SkipAnalysisOnce ? true : null,
            RetryRequested = next.RetryRequested ? true : null,
            Controls = next.Controls.Count == 0 ? null : [.. next.Controls.Select(WriteControl)],
            Timeline = next.Timeline.Count == 0 ? null : [.. next.Timeline.Select(WriteTimeline)],
            Webhooks = next.Webhooks.Count == 0 ? null : [.. next.Webhooks.Select(WriteWebhook)],
            Conditions = conditions,
            ObservedGeneration = generation,
        };
    }

    /// <summary>The handled controls stored on a Canary.</summary>
    public static IReadOnlyList<ControlRecord> ReadControls(IList<CanaryControlRecord>? controls) => controls is null
        ? []
        : [.. controls.Select(c => new ControlRecord(
            c.Request ?? string.Empty, c.Uid ?? string.Empty, c.Action ?? string.Empty, c.Force ?? false, c.Reason,
            Utc(c.RequestedTime), Utc(c.HandledTime) ?? default, c.Result ?? string.Empty, c.Message ?? string.Empty))];

    /// <summary>The rollout's timeline stored on a Canary.</summary>
    public static IReadOnlyList<TimelineEntry> ReadTimeline(IList<CanaryTimelineEntry>? timeline) => timeline is null
        ? []
        : [.. timeline.Select(t => new TimelineEntry(
            Utc(t.Time) ?? default, Enum.TryParse<CanaryPhase>(t.Phase, out var phase) ? phase : CanaryPhase.None, t.Weight ?? 0, t.Iterations ?? 0))];

    /// <summary>The webhooks' last answers stored on a Canary.</summary>
    public static IReadOnlyList<WebhookAnswer> ReadWebhooks(IList<CanaryWebhookResult>? webhooks) => webhooks is null
        ? []
        : [.. webhooks.Select(w => new WebhookAnswer(w.Name ?? string.Empty, w.Type ?? string.Empty, Utc(w.Time) ?? default, w.Passed ?? false, w.Message ?? string.Empty))];

    private static DateTimeOffset? Utc(DateTime? time) => time is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : null;

    private static CanaryControlRecord WriteControl(ControlRecord control) => new()
    {
        Request = control.Request,
        Uid = control.Uid,
        Action = control.Action,
        Force = control.Force ? true : null,
        Reason = control.Reason,
        RequestedTime = control.RequestedTime?.UtcDateTime,
        HandledTime = control.HandledTime.UtcDateTime,
        Result = control.Result,
        Message = control.Message,
    };

    private static CanaryTimelineEntry WriteTimeline(TimelineEntry entry) => new()
    {
        Time = entry.Time.UtcDateTime,
        Phase = entry.Phase.ToString(),
        Weight = entry.Weight,
        Iterations = entry.Iterations,
    };

    private static CanaryWebhookResult WriteWebhook(WebhookAnswer answer) => new()
    {
        Time = answer.Time.UtcDateTime,
        Name = answer.Name,
        Type = answer.Type,
        Passed = answer.Passed,
        Message = answer.Message,
    };

    /// <summary>The checks stored on a Canary, as the state machine reads them.</summary>
    public static IReadOnlyList<MetricCheckRecord> ReadChecks(IList<CanaryCheck>? checks) => checks is null
        ? []
        : [.. checks.Select(c => new MetricCheckRecord(
            c.Metric ?? string.Empty, c.Verdict ?? string.Empty, c.Message ?? string.Empty,
            c.CanaryValue, c.PrimaryValue, c.CanarySamples, c.PrimarySamples, c.PValue)
        {
            Time = c.Time is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : default,
            Weight = c.Weight ?? 0,
        })];

    /// <summary>The judge's per-step evidence stored on a Canary, as the state machine reads it (entries without a step are dropped).</summary>
    public static IReadOnlyList<StepEvidence> ReadEvidence(IList<CanaryStepEvidence>? evidence) => evidence is null
        ? []
        : [.. evidence
            .Where(e => e.StepStartTime is not null)
            .Select(e => new StepEvidence(
                e.Metric ?? string.Empty,
                new DateTimeOffset(DateTime.SpecifyKind(e.StepStartTime!.Value, DateTimeKind.Utc)),
                e.Weight ?? 0,
                ErrorCounts.From(e)))];

    private static CanaryStepEvidence WriteEvidence(StepEvidence evidence) => new()
    {
        Metric = evidence.Metric,
        StepStartTime = evidence.StepStart.UtcDateTime,
        Weight = evidence.Weight,
        CanaryRequests = evidence.Counts.CanaryRequests,
        CanaryFailures = evidence.Counts.CanaryFailures,
        PrimaryRequests = evidence.Counts.PrimaryRequests,
        PrimaryFailures = evidence.Counts.PrimaryFailures,
    };

    private static CanaryCheck WriteCheck(MetricCheckRecord check) => new()
    {
        Time = check.Time.UtcDateTime,
        Weight = check.Weight,
        Metric = check.Metric,
        Verdict = check.Verdict,
        CanaryValue = Round(check.CanaryValue),
        PrimaryValue = Round(check.PrimaryValue),
        CanarySamples = check.CanarySamples,
        PrimarySamples = check.PrimarySamples,
        PValue = check.PValue,
        Message = check.Message,
    };

    // Values are shown to people; four decimals keep a status write stable across re-reads of the same check.
    private static double? Round(double? value) => value is { } v && double.IsFinite(v) ? Math.Round(v, 4) : null;

    /// <summary>True when writing <paramref name="next"/> would change what is stored (so idle ticks write nothing).</summary>
    public static bool NeedsWrite(CanaryStatus? current, RolloutStatus next, long? generation)
    {
        ArgumentNullException.ThrowIfNull(next);
        return current is null
            || !RolloutStatus.From(current).SameAs(next)
            || current.ObservedGeneration != generation
            || current.Conditions is null
            || !current.Conditions.Any(c => c.Type == RolloutConditions.Promoted);
    }
}
