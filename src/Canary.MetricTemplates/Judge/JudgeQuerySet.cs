using Canary.MetricTemplates.Providers;

namespace Canary.MetricTemplates.Judge;

/// <summary>How a judged metric is compared.</summary>
public enum JudgeComparison
{
    /// <summary>Failures out of requests: failure shares compared.</summary>
    ErrorShare,

    /// <summary>Latency histograms compared at a quantile.</summary>
    LatencyQuantile,
}

/// <summary>The rendered queries of one side (canary or primary); only those the comparison needs are set.</summary>
/// <param name="Requests">Requests in the window (error share).</param>
/// <param name="Failures">Failed requests in the window (error share).</param>
/// <param name="Buckets">Cumulative bucket counts by le in the window (latency).</param>
public sealed record SideQueries(string? Requests, string? Failures, string? Buckets);

/// <summary>A metric ready for the judge: both sides' rendered queries and where they run.</summary>
/// <param name="Comparison">What is compared.</param>
/// <param name="Canary">The canary's queries.</param>
/// <param name="Primary">The primary's queries.</param>
/// <param name="BucketsToMilliseconds">Factor turning bucket bounds into milliseconds.</param>
/// <param name="Provider">Backend the queries run against.</param>
/// <param name="Source">"built-in &lt;observer&gt;" or "template &lt;ns&gt;/&lt;name&gt;".</param>
public sealed record JudgeQuerySet(
    JudgeComparison Comparison, SideQueries Canary, SideQueries Primary, double BucketsToMilliseconds, MetricProviderSpec Provider, string Source);
