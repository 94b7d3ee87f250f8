using Canary.MetricTemplates.Judge.Statistics;
using Canary.Webhooks.Hooks;

namespace Canary.Rollout.StateMachine;

/// <summary>One metric check as kept in the status (the judge's fields are null for absolute checks).</summary>
/// <param name="Metric">Metric name.</param>
/// <param name="Verdict">Pass, Fail or Inconclusive (<see cref="Api.V1Beta1.CheckVerdicts"/>).</param>
/// <param name="Message">The reason, as in Events.</param>
/// <param name="CanaryValue">The canary's value.</param>
/// <param name="PrimaryValue">The primary's value (judge).</param>
/// <param name="CanarySamples">Samples behind the canary's value (judge).</param>
/// <param name="PrimarySamples">Samples behind the primary's value (judge).</param>
/// <param name="PValue">One-sided p-value (judge).</param>
public sealed record MetricCheckRecord(
    string Metric, string Verdict, string Message, double? CanaryValue = null, double? PrimaryValue = null,
    long? CanarySamples = null, long? PrimarySamples = null, double? PValue = null)
{
    /// <summary>When the check ran (set by the decider from the tick's clock).</summary>
    public DateTimeOffset Time { get; init; }

    /// <summary>Canary weight (or blue/green and A/B iteration) during the check (set by the decider).</summary>
    public int Weight { get; init; }

    /// <summary>Judge, error-type metrics: both sides' counts in the current step, kept as the step's evidence.</summary>
    public ErrorCounts? Counts { get; init; }
}

/// <summary>The counts of one error-type metric over one traffic step of the current rollout (the step's last check).</summary>
public sealed record StepEvidence(string Metric, DateTimeOffset StepStart, int Weight, ErrorCounts Counts);

/// <summary>The answer to a <see cref="Question"/>.</summary>
/// <param name="Verdict">Aggregate verdict.</param>
/// <param name="Calls">Hook calls in order (empty for metrics).</param>
/// <param name="Messages">Failure messages of metric checks (Flagger-worded), or other detail.</param>
/// <param name="MuteAlert">The deciding hook asked for no alert.</param>
public sealed record CheckOutcome(CheckVerdict Verdict, IReadOnlyList<WebhookCall> Calls, IReadOnlyList<string> Messages, bool MuteAlert = false)
{
    /// <summary>Metrics: each metric's check, recorded in the status.</summary>
    public IReadOnlyList<MetricCheckRecord> Checks { get; init; } = [];

    /// <summary>Metrics (judge): the evidence of a regression is overwhelming; roll back without waiting for threshold.</summary>
    public bool FailFast { get; init; }

    /// <summary>Passed with nothing called.</summary>
    public static CheckOutcome Pass { get; } = new(CheckVerdict.Passed, [], []);

    /// <summary>Passed hooks.</summary>
    public static CheckOutcome PassedHooks(params string[] names) => new(CheckVerdict.Passed, [.. names.Select(n => WebhookCall.Passing(n))], []);

    /// <summary>A failed check with messages.</summary>
    public static CheckOutcome Fail(params string[] messages) => new(CheckVerdict.Failed, [], messages);

    /// <summary>A hook that failed (checks) or withheld approval (gates, <paramref name="verdict"/> = Wait).</summary>
    public static CheckOutcome FailedHook(string name, string reason, CheckVerdict verdict = CheckVerdict.Failed, bool muteAlert = false) =>
        new(verdict, [WebhookCall.Failing(name, reason)], [], muteAlert);

    /// <summary>The call that decided a non-passing verdict.</summary>
    public WebhookCall? Decisive => Verdict switch
    {
        CheckVerdict.Rollback => Calls.LastOrDefault(c => c.Passed),
        CheckVerdict.Passed => null,
        _ => Calls.LastOrDefault(c => !c.Passed),
    };
}
