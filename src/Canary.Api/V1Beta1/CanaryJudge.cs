using System.Text.Json.Serialization;
using Canary.Api.Crd;

namespace Canary.Api.V1Beta1;

/// <summary>
/// Opt-in statistical judge: each metric compares the canary with the primary over the same window (the current step),
/// with a one-sided test that knows how much evidence it has. Without it, checks keep Flagger's absolute ranges.
/// </summary>
public sealed class CanaryJudge
{
    /// <summary>Confidence (0.5-0.999999) that the canary is worse than allowed before a check fails. Default 0.99.</summary>
    [JsonPropertyName("confidence")]
    [CrdRange(0.5, 0.999999)]
    public double? Confidence { get; set; }

    /// <summary>Confidence at which the rollout is rolled back at once, without waiting for threshold failed checks. Default 0.99999; must not be below confidence.</summary>
    [JsonPropertyName("failFastConfidence")]
    [CrdRange(0.5, 0.9999999999)]
    public double? FailFastConfidence { get; set; }

    /// <summary>Fewest samples (requests, or latency observations) on each side for a verdict; below it the check is inconclusive. Default 100.</summary>
    [JsonPropertyName("minSamples")]
    [CrdRange(1, int.MaxValue)]
    public int? MinSamples { get; set; }

    /// <summary>Inconclusive checks in a row before the Canary reports missing evidence and applies onInconclusive. Default 10.</summary>
    [JsonPropertyName("maxInconclusive")]
    [CrdRange(1, int.MaxValue)]
    public int? MaxInconclusive { get; set; }

    /// <summary>After maxInconclusive inconclusive checks in a row: Wait (keep holding the weight and collecting evidence) or Fail (roll back). Default Wait.</summary>
    [JsonPropertyName("onInconclusive")]
    [CrdEnum(JudgeInconclusiveActions.Wait, JudgeInconclusiveActions.Fail)]
    public string? OnInconclusive { get; set; }
}

/// <summary>What the judge does after too many inconclusive checks in a row.</summary>
public static class JudgeInconclusiveActions
{
    /// <summary>Keep the weight and keep collecting evidence (reported once by condition, Warning Event and alert).</summary>
    public const string Wait = "Wait";

    /// <summary>Roll back.</summary>
    public const string Fail = "Fail";

    /// <summary>Every accepted value.</summary>
    public static IReadOnlyList<string> All { get; } = [Wait, Fail];
}

/// <summary>How the judge compares one metric of the canary with the primary's.</summary>
public sealed class MetricJudge
{
    /// <summary>
    /// Largest accepted canary/primary ratio: of the failure share for error metrics (default 1.5), of the chosen latency
    /// quantile for latency metrics (default 1.5). At least 1.
    /// </summary>
    [JsonPropertyName("maxRatio")]
    [CrdRange(1, 1000)]
    public double? MaxRatio { get; set; }

    /// <summary>
    /// Increases smaller than this are never a failure, however significant: percentage points of failures for error
    /// metrics, milliseconds for latency metrics. Default 0.
    /// </summary>
    [JsonPropertyName("margin")]
    [CrdRange(0, 1000000)]
    public double? Margin { get; set; }

    /// <summary>Latency metrics: the quantile compared (0.5, 0.9, 0.95 or 0.99). Default 0.99.</summary>
    [JsonPropertyName("quantile")]
    [CrdRange(0.5, 0.999)]
    public double? Quantile { get; set; }

    /// <summary>Overrides analysis.judge.minSamples for this metric.</summary>
    [JsonPropertyName("minSamples")]
    [CrdRange(1, int.MaxValue)]
    public int? MinSamples { get; set; }
}

/// <summary>
/// Queries that let a MetricTemplate take part in the judge. Each is rendered twice, once per side: <c>{{ workload }}</c>
/// is the Deployment of that side (target or target-primary), <c>{{ side }}</c> is canary or primary, and
/// <c>{{ interval }}</c> is the judge's window (the current step so far). Counts must cover exactly that window.
/// </summary>
public sealed class MetricTemplateJudge
{
    /// <summary>ratio (failures out of requests) or histogram (cumulative latency buckets by le).</summary>
    [JsonPropertyName("type")]
    [CrdRequired]
    [CrdEnum(MetricJudgeTypes.Ratio, MetricJudgeTypes.Histogram)]
    public string? Type { get; set; }

    /// <summary>ratio: query returning the number of requests in the window.</summary>
    [JsonPropertyName("requestsQuery")]
    public string? RequestsQuery { get; set; }

    /// <summary>ratio: query returning the number of failed requests in the window.</summary>
    [JsonPropertyName("failuresQuery")]
    public string? FailuresQuery { get; set; }

    /// <summary>histogram: query returning one series per bucket, labelled le, with cumulative counts in the window.</summary>
    [JsonPropertyName("bucketsQuery")]
    public string? BucketsQuery { get; set; }

    /// <summary>histogram: factor turning the le bounds into milliseconds (1000 for seconds). Default 1.</summary>
    [JsonPropertyName("bucketsToMilliseconds")]
    [CrdRange(0.000001, 1000000)]
    public double? BucketsToMilliseconds { get; set; }
}

/// <summary>Kinds of judge comparison a MetricTemplate can declare.</summary>
public static class MetricJudgeTypes
{
    /// <summary>Failures out of requests, compared as failure shares.</summary>
    public const string Ratio = "ratio";

    /// <summary>Latency histogram, compared at a quantile.</summary>
    public const string Histogram = "histogram";

    /// <summary>Every accepted value.</summary>
    public static IReadOnlyList<string> All { get; } = [Ratio, Histogram];
}

/// <summary>One metric check of the current rollout, as kept in the Canary's status.</summary>
public sealed class CanaryCheck
{
    /// <summary>When the check ran.</summary>
    [JsonPropertyName("time")]
    public DateTime? Time { get; set; }

    /// <summary>Canary weight during the check (blue/green and A/B: the iteration).</summary>
    [JsonPropertyName("weight")]
    public int? Weight { get; set; }

    /// <summary>Metric name.</summary>
    [JsonPropertyName("metric")]
    public string? Metric { get; set; }

    /// <summary>Pass, Fail or Inconclusive.</summary>
    [JsonPropertyName("verdict")]
    public string? Verdict { get; set; }

    /// <summary>The canary's value (success rate %, latency ms, or the template's value).</summary>
    [JsonPropertyName("canaryValue")]
    public double? CanaryValue { get; set; }

    /// <summary>The primary's value over the same window (judge only).</summary>
    [JsonPropertyName("primaryValue")]
    public double? PrimaryValue { get; set; }

    /// <summary>Samples behind the canary's value (judge only).</summary>
    [JsonPropertyName("canarySamples")]
    public long? CanarySamples { get; set; }

    /// <summary>Samples behind the primary's value (judge only).</summary>
    [JsonPropertyName("primarySamples")]
    public long? PrimarySamples { get; set; }

    /// <summary>One-sided p-value of "the canary is no worse than allowed" (judge only); small means evidence of a regression.</summary>
    [JsonPropertyName("pValue")]
    public double? PValue { get; set; }

    /// <summary>Why: the reason also carried by Events, alerts and webhook payloads.</summary>
    [JsonPropertyName("message")]
    public string? Message { get; set; }
}

/// <summary>
/// The request and failure counts of one error-type metric over one traffic step of the current rollout, as the judge's
/// last check of that step saw them. The judge adds the earlier steps to the current one, step by step, so a regression
/// too rare to show within one step still shows over the rollout.
/// </summary>
public sealed class CanaryStepEvidence
{
    /// <summary>Metric name.</summary>
    [JsonPropertyName("metric")]
    public string? Metric { get; set; }

    /// <summary>When the step started (the status.stepStartTime of that step): identifies the step.</summary>
    [JsonPropertyName("stepStartTime")]
    public DateTime? StepStartTime { get; set; }

    /// <summary>Canary weight (blue/green and A/B: the iteration) during the step.</summary>
    [JsonPropertyName("weight")]
    public int? Weight { get; set; }

    /// <summary>Requests to the canary in the step.</summary>
    [JsonPropertyName("canaryRequests")]
    public long? CanaryRequests { get; set; }

    /// <summary>Failed requests of the canary in the step.</summary>
    [JsonPropertyName("canaryFailures")]
    public long? CanaryFailures { get; set; }

    /// <summary>Requests to the primary in the step.</summary>
    [JsonPropertyName("primaryRequests")]
    public long? PrimaryRequests { get; set; }

    /// <summary>Failed requests of the primary in the step.</summary>
    [JsonPropertyName("primaryFailures")]
    public long? PrimaryFailures { get; set; }
}

/// <summary>Verdicts of one metric check.</summary>
public static class CheckVerdicts
{
    /// <summary>The check passed.</summary>
    public const string Pass = "Pass";

    /// <summary>The check failed (counts toward threshold).</summary>
    public const string Fail = "Fail";

    /// <summary>Not enough evidence: neither passes nor counts as failed; the weight holds.</summary>
    public const string Inconclusive = "Inconclusive";
}
