namespace Canary.MetricTemplates.BuiltIn;

/// <summary>
/// The two shapes of the judge's built-in queries. <c>increase()</c> and <c>rate()</c> need two samples of a series in the
/// window, so a series born inside it (the canary's first 5xx) loses its first increment; these forms subtract the value
/// one window ago, or 0 for a series that did not exist then (<c>or X * 0</c>: vector matching ignores the metric name),
/// so every request in the window is counted.
/// </summary>
internal static class JudgeQueryForms
{
    /// <summary>The number of events a counter <paramref name="series"/> counted in the window, summed over the selected series.</summary>
    public static string Counter(string series, string selector) =>
        $"sum({series}{{{selector}}} - ({series}{{{selector}}} offset {{{{ interval }}}} or {series}{{{selector}}} * 0))";

    /// <summary>A histogram's cumulative bucket counts in the window, one series per <c>le</c>.</summary>
    public static string Buckets(string bucketSeries, string selector) =>
        $"sum by (le) ({bucketSeries}{{{selector}}} - ({bucketSeries}{{{selector}}} offset {{{{ interval }}}} or {bucketSeries}{{{selector}}} * 0))";

    /// <summary>
    /// A set's three judge queries over one selector per side: <paramref name="failed"/> is appended to the selector for
    /// failures (e.g. <c>response_code=~"5.*"</c>).
    /// </summary>
    public static BuiltInMetricSet With(
        this BuiltInMetricSet set, string requestSeries, string selector, string failed, string bucketSeries, string bucketSelector, double bucketsToMilliseconds) =>
        set with
        {
            RequestsQuery = Counter(requestSeries, selector),
            FailuresQuery = Counter(requestSeries, $"{selector},{failed}"),
            BucketsQuery = Buckets(bucketSeries, bucketSelector),
            BucketsToMilliseconds = bucketsToMilliseconds,
        };
}
