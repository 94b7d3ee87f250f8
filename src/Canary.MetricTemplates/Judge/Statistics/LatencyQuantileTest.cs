namespace Canary.MetricTemplates.Judge.Statistics;

/// <summary>One cumulative histogram bucket, as Prometheus exposes it (<c>le</c> and the count at or below it).</summary>
/// <param name="UpperBound">The bucket's upper bound; +Inf for the last one.</param>
/// <param name="CumulativeCount">Observations at or below the bound (may be fractional after <c>increase()</c>).</param>
public readonly record struct HistogramBucket(double UpperBound, double CumulativeCount);

/// <summary>The canary's latency quantile against the primary's over the same window.</summary>
/// <param name="PValue">One-sided p-value of "the canary's quantile is within the allowed ratio".</param>
/// <param name="CanaryQuantileMs">The canary's quantile, interpolated as histogram_quantile does.</param>
/// <param name="PrimaryQuantileMs">The primary's quantile, interpolated the same way.</param>
/// <param name="ThresholdMs">The bucket bound the canary's observations are counted above.</param>
/// <param name="CanaryAbove">Canary observations above the threshold.</param>
/// <param name="CanarySamples">Canary observations.</param>
/// <param name="PrimarySamples">Primary observations.</param>
public sealed record LatencyQuantileResult(
    double PValue, double CanaryQuantileMs, double PrimaryQuantileMs, double ThresholdMs, long CanaryAbove, long CanarySamples, long PrimarySamples);

/// <summary>
/// Has the canary's q-quantile regressed beyond <c>maxRatio</c> times the primary's? The threshold t is the smallest
/// bucket bound at or above maxRatio × (the upper bound of the primary's quantile bucket): a conservative reading of the
/// primary, rounded to a bound so that counting above it is exact on binned data. If the canary's q-quantile were at most
/// t, at most a share 1 − q of its observations would lie above t, so with k of n above it the p-value is
/// P(Binomial(n, 1 − q) ≥ k). Aimed at the chosen quantile, it catches a p99-only regression that a rank test over the
/// whole distribution (Mann-Whitney) dilutes among the 99 % of unchanged requests.
/// </summary>
public static class LatencyQuantileTest
{
    /// <summary>Compares the two sides' buckets; bounds are multiplied by <paramref name="toMilliseconds"/>.</summary>
    public static LatencyQuantileResult Compare(
        IReadOnlyList<HistogramBucket> canary, IReadOnlyList<HistogramBucket> primary, double quantile, double maxRatio,
        double marginMilliseconds, double toMilliseconds)
    {
        ArgumentNullException.ThrowIfNull(canary);
        ArgumentNullException.ThrowIfNull(primary);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(quantile, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(quantile, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRatio, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(marginMilliseconds);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(toMilliseconds, 0);

        var c = Normalize(canary);
        var p = Normalize(primary);
        var canaryTotal = Total(c);
        var primaryTotal = Total(p);
        var canaryQuantile = HistogramQuantile(c, quantile) * toMilliseconds;
        var primaryQuantile = HistogramQuantile(p, quantile) * toMilliseconds;
        if (canaryTotal == 0 || primaryTotal == 0)
        {
            return new LatencyQuantileResult(1, canaryQuantile, primaryQuantile, double.PositiveInfinity, 0, canaryTotal, primaryTotal);
        }

        // The primary's quantile bucket: the first whose cumulative count reaches q of the total.
        var primaryBound = p.First(b => b.CumulativeCount >= quantile * primaryTotal).UpperBound * toMilliseconds;
        var allowed = Math.Max(maxRatio * primaryBound, primaryBound + marginMilliseconds);
        var threshold = c.Select(b => b.UpperBound * toMilliseconds).Where(bound => double.IsFinite(bound) && bound >= allowed).DefaultIfEmpty(double.PositiveInfinity).Min();
        if (!double.IsFinite(threshold))
        {
            // No bucket bound above what is allowed: the histogram cannot show a regression beyond it.
            return new LatencyQuantileResult(1, canaryQuantile, primaryQuantile, threshold, 0, canaryTotal, primaryTotal);
        }

        var atOrBelow = (long)Math.Round(c.Last(b => b.UpperBound * toMilliseconds <= threshold).CumulativeCount);
        var above = Math.Max(0, canaryTotal - atOrBelow);
        var pValue = ErrorShareTest.UpperTail(above, canaryTotal, 1 - quantile);
        return new LatencyQuantileResult(pValue, canaryQuantile, primaryQuantile, threshold, above, canaryTotal, primaryTotal);
    }

    /// <summary>
    /// Prometheus's <c>histogram_quantile</c> on one histogram: linear interpolation inside the bucket holding the rank,
    /// the first bucket starting at 0, the largest finite bound when the rank falls in +Inf; NaN without observations.
    /// </summary>
    public static double HistogramQuantile(IReadOnlyList<HistogramBucket> buckets, double quantile)
    {
        ArgumentNullException.ThrowIfNull(buckets);
        var sorted = Normalize(buckets);
        if (sorted.Count < 2 || !double.IsPositiveInfinity(sorted[^1].UpperBound))
        {
            return double.NaN;
        }

        var observations = sorted[^1].CumulativeCount;
        if (observations <= 0)
        {
            return double.NaN;
        }

        var rank = quantile * observations;
        var index = sorted.FindIndex(b => b.CumulativeCount >= rank);
        if (index == sorted.Count - 1)
        {
            return sorted[^2].UpperBound;
        }

        if (index == 0 && sorted[0].UpperBound <= 0)
        {
            return sorted[0].UpperBound;
        }

        var (start, countBefore) = index == 0 ? (0.0, 0.0) : (sorted[index - 1].UpperBound, sorted[index - 1].CumulativeCount);
        var end = sorted[index].UpperBound;
        var inBucket = sorted[index].CumulativeCount - countBefore;
        return inBucket <= 0 ? end : start + ((end - start) * ((rank - countBefore) / inBucket));
    }

    // Sorted by bound, counts made monotonic (Prometheus does the same for scrape-skewed buckets).
    private static List<HistogramBucket> Normalize(IReadOnlyList<HistogramBucket> buckets)
    {
        var sorted = buckets.OrderBy(b => b.UpperBound).ToList();
        for (var i = 1; i < sorted.Count; i++)
        {
            if (sorted[i].CumulativeCount < sorted[i - 1].CumulativeCount)
            {
                sorted[i] = sorted[i] with { CumulativeCount = sorted[i - 1].CumulativeCount };
            }
        }

        return sorted;
    }

    private static long Total(List<HistogramBucket> buckets) => buckets.Count == 0 ? 0 : (long)Math.Round(buckets[^1].CumulativeCount);
}
