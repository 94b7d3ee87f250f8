namespace Canary.MetricTemplates.BuiltIn;

/// <summary>
/// The shapes of the judge's built-in queries: what a side's counters gained in the window <c>{{ interval }}</c>.
/// <para>
/// Not <c>increase()</c>/<c>rate()</c>: they need two samples of a series inside the window, so a series born in it (the
/// canary's first 5xx of a pod, a new pod's series) loses its first increment, and they extrapolate to the window's
/// edges, so the counts are not whole requests. Here each series' value now minus its value one window ago, where a
/// series that did not exist then counts from 0: <c>X offset W or X * 0</c> keeps the old sample when there is one and
/// otherwise adds the current series times 0 (set and arithmetic operators match on the labels, ignoring the metric
/// name that <c>* 0</c> drops). A counter reset inside the window (a restarted process keeping its labels) makes that
/// series' delta negative; <c>increase()</c> would correct it but loses born series, which matter more to the judge.
/// </para>
/// </summary>
internal static class JudgeQueries
{
    /// <summary>The usual 5xx status selector (Prometheus regexes are fully anchored).</summary>
    public const string Status5xx = "=~\"5.*\"";

    /// <summary>Events counted in the window by counter <paramref name="series"/> over the series <paramref name="selector"/> picks, summed to one number.</summary>
    public static string Count(string series, string selector)
    {
        var s = $"{series}{{{selector}}}";
        return $"sum({s} - ({s} offset {{{{ interval }}}} or {s} * 0))";
    }

    /// <summary>A histogram's cumulative bucket counts in the window, one series per <c>le</c>.</summary>
    public static string Buckets(string bucketSeries, string selector)
    {
        var s = $"{bucketSeries}{{{selector}}}";
        return $"sum by (le) ({s} - ({s} offset {{{{ interval }}}} or {s} * 0))";
    }

    /// <summary>
    /// <paramref name="set"/> with its three judge queries: requests on <paramref name="requestSeries"/>{<paramref name="side"/>},
    /// failures on the same with <paramref name="failed"/> added, buckets on <paramref name="bucketSeries"/>{<paramref name="side"/>}
    /// whose <c>le</c> bounds times <paramref name="bucketsToMilliseconds"/> are milliseconds.
    /// </summary>
    public static BuiltInMetricSet WithJudge(
        this BuiltInMetricSet set,
        string requestSeries,
        string side,
        string failed,
        string bucketSeries,
        double bucketsToMilliseconds) => set with
        {
            RequestsQuery = Count(requestSeries, side),
            FailuresQuery = Count(requestSeries, $"{side},{failed}"),
            BucketsQuery = Buckets(bucketSeries, side),
            BucketsToMilliseconds = bucketsToMilliseconds,
        };
}
