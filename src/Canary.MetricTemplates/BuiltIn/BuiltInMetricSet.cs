using Canary.Api.V1Beta1;

namespace Canary.MetricTemplates.BuiltIn;

/// <summary>
/// The built-in <c>request-success-rate</c> and <c>request-duration</c> query templates of one data plane,
/// Flagger's text rendered with the same variables.
/// </summary>
/// <param name="Provider">Observer name, e.g. istio, linkerd, gatewayapi.</param>
/// <param name="RequestSuccessRateQuery">Template returning the canary's non-5xx percentage (0-100).</param>
/// <param name="RequestDurationQuery">Template returning the canary's request duration.</param>
/// <param name="DurationToMilliseconds">Factor that turns the duration query's unit into milliseconds (1000 for seconds).</param>
/// <param name="DurationStatistic">What the duration query computes: p99, or mean where the data plane has no histogram.</param>
public sealed record BuiltInMetricSet(
    string Provider,
    string RequestSuccessRateQuery,
    string RequestDurationQuery,
    double DurationToMilliseconds = 1,
    string DurationStatistic = "p99")
{
    /// <summary>
    /// Judge: requests served by one side in the window. Rendered per side with <c>{{ workload }}</c>/<c>{{ side }}</c>;
    /// <c>{{ interval }}</c> is the judge's window. Counts a counter series born inside the window in full (see
    /// <see cref="JudgeQueries"/>). Null when the data plane's metrics cannot tell the canary from the primary (apisix).
    /// </summary>
    public string? RequestsQuery { get; init; }

    /// <summary>Judge: failed (5xx) requests of one side in the window, same rules as <see cref="RequestsQuery"/>.</summary>
    public string? FailuresQuery { get; init; }

    /// <summary>Judge: cumulative latency bucket counts of one side in the window, one series per <c>le</c>.</summary>
    public string? BucketsQuery { get; init; }

    /// <summary>Judge: factor turning the bucket bounds (<c>le</c>) into milliseconds.</summary>
    public double BucketsToMilliseconds { get; init; } = 1;

    /// <summary>The query template of built-in metric <paramref name="metricName"/>, or null when it is not a built-in name.</summary>
    public string? QueryFor(string? metricName) => metricName switch
    {
        BuiltInMetrics.RequestSuccessRate => RequestSuccessRateQuery,
        BuiltInMetrics.RequestDuration => RequestDurationQuery,
        _ => null,
    };
}
