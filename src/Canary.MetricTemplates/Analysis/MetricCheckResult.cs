using Canary.Api.V1Beta1;
using Canary.MetricTemplates.Judge.Statistics;

namespace Canary.MetricTemplates.Analysis;

/// <summary>Result of one metric check of one analysis tick, with the value and query kept for status and debugging.</summary>
public sealed record MetricCheckResult
{
    /// <summary>The metric's name in the Canary.</summary>
    public required string MetricName { get; init; }

    /// <summary>The verdict.</summary>
    public required MetricCheckOutcome Outcome { get; init; }

    /// <summary>Human message in Flagger's wording, e.g. "Halt podinfo.test advancement success rate 92.00% &lt; 99%".</summary>
    public required string Message { get; init; }

    /// <summary>The value compared with the range (percent, milliseconds or raw); null when there is none.</summary>
    public double? Value { get; init; }

    /// <summary>How the value was compared.</summary>
    public MetricKind Kind { get; init; } = MetricKind.Custom;

    /// <summary>The range the value was held against, if any.</summary>
    public CanaryThresholdRange? ThresholdRange { get; init; }

    /// <summary>Where the query came from: "built-in istio", "template ns/name" or "inline query".</summary>
    public string? Source { get; init; }

    /// <summary>The rendered query as sent (whitespace collapsed); null when resolution failed before rendering.</summary>
    public string? Query { get; init; }

    /// <summary>When the check finished.</summary>
    public DateTimeOffset CheckedAt { get; init; }

    /// <summary>Judge: the primary's value over the same window.</summary>
    public double? PrimaryValue { get; init; }

    /// <summary>Judge: samples behind the canary's value (requests, or latency observations).</summary>
    public long? CanarySamples { get; init; }

    /// <summary>Judge: samples behind the primary's value.</summary>
    public long? PrimarySamples { get; init; }

    /// <summary>Judge: one-sided p-value of "the canary is no worse than allowed".</summary>
    public double? PValue { get; init; }

    /// <summary>Judge, error-type metrics: both sides' requests and failures in the current step (kept as the step's evidence).</summary>
    public ErrorCounts? Counts { get; init; }

    /// <summary>Judge: the evidence is overwhelming (p below 1 − failFastConfidence): roll back at once.</summary>
    public bool FailFast { get; init; }

    /// <summary>Neither passed nor failed: not enough evidence yet.</summary>
    public bool Inconclusive => Outcome == MetricCheckOutcome.Inconclusive;

    /// <summary>True only when the value is inside the range; no data and provider errors are failures.</summary>
    public bool Passed => Outcome == MetricCheckOutcome.Passed;
}
