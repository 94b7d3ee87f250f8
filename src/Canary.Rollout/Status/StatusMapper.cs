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
            Conditions = conditions,
            ObservedGeneration = generation,
        };
    }

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
