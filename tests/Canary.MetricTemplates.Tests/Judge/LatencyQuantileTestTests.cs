using Canary.MetricTemplates.Judge.Statistics;

namespace Canary.MetricTemplates.Tests.Judge;

/// <summary>
/// The quantile exceedance test. Binomial tails are pinned to exact rational values from Python
/// (<c>sum(comb(n, i) * F(1, 100)**i * F(99, 100)**(n - i) for i in range(k, n + 1))</c>); interpolation follows
/// Prometheus's documented histogram_quantile algorithm, worked by hand in each case.
/// </summary>
public sealed class LatencyQuantileTestTests
{
    // Envoy's millisecond bounds (a subset) with cumulative counts.
    private static List<HistogramBucket> Histogram(params (double Le, double Count)[] buckets) =>
        [.. buckets.Select(b => new HistogramBucket(b.Le, b.Count))];

    private static readonly List<HistogramBucket> Primary = Histogram(
        (10, 100), (25, 600), (50, 950), (100, 995), (250, 1000), (500, 1000), (1000, 1000), (double.PositiveInfinity, 1000));

    [Fact]
    public void A_p99_only_regression_is_caught()
    {
        // Same body of the distribution (p50 between 10 and 25 ms), but 31 of 480 canary requests slower than 250 ms.
        var canary = Histogram((10, 48), (25, 288), (50, 440), (100, 445), (250, 449), (500, 460), (1000, 470), (double.PositiveInfinity, 480));

        var result = LatencyQuantileTest.Compare(canary, Primary, 0.99, 1.5, 0, 1);

        // Primary p99 bucket bound 100 ms; 1.5 x 100 = 150 -> next bound 250 ms; 31 of 480 above it.
        Assert.Equal(250, result.ThresholdMs);
        Assert.Equal(31, result.CanaryAbove);
        Assert.Equal(7.581069985950623e-16, result.PValue, 1e-24);
        Assert.True(LatencyQuantileTest.HistogramQuantile(canary, 0.5) < 25);
    }

    [Fact]
    public void Identical_distributions_pass()
    {
        var result = LatencyQuantileTest.Compare(Primary, Primary, 0.99, 1.5, 0, 1);

        Assert.Equal(0, result.CanaryAbove);
        Assert.Equal(1, result.PValue);
    }

    [Theory]
    [InlineData(150, 10, 3.2802004196407574e-06)]
    [InlineData(1000, 12, 0.3026499138568951)]
    [InlineData(500, 5, 0.5603889132518971)]
    public void Exceedances_are_judged_against_a_one_percent_tail(long n, long above, double expected)
    {
        var canary = Histogram((250, n - above), (double.PositiveInfinity, n));
        var primary = Histogram((100, 1000), (250, 1000), (double.PositiveInfinity, 1000));

        var result = LatencyQuantileTest.Compare(canary, primary, 0.99, 1.5, 0, 1);

        Assert.Equal(250, result.ThresholdMs);
        Assert.Equal(expected, result.PValue, expected * 1e-9);
    }

    [Fact]
    public void The_margin_moves_the_threshold_to_a_higher_bound()
    {
        var result = LatencyQuantileTest.Compare(Primary, Primary, 0.99, 1.5, 300, 1);

        // max(1.5 x 100, 100 + 300) = 400 -> next bound 500 ms.
        Assert.Equal(500, result.ThresholdMs);
    }

    [Fact]
    public void Seconds_buckets_are_read_in_milliseconds()
    {
        var seconds = Histogram((0.05, 950), (0.1, 995), (0.25, 1000), (double.PositiveInfinity, 1000));

        var result = LatencyQuantileTest.Compare(seconds, seconds, 0.99, 1.5, 0, 1000);

        Assert.Equal(250, result.ThresholdMs);
        Assert.Equal(50 + (50.0 * 40 / 45), result.PrimaryQuantileMs, 1e-9);
    }

    [Fact]
    public void Without_a_bound_above_the_allowed_latency_nothing_can_fail()
    {
        var onlyInf = Histogram((100, 990), (double.PositiveInfinity, 1000));

        var result = LatencyQuantileTest.Compare(onlyInf, onlyInf, 0.99, 1.5, 0, 1);

        Assert.Equal(1, result.PValue);
    }

    [Fact]
    public void HistogramQuantile_interpolates_as_Prometheus_does()
    {
        // rank = 0.5 x 1000 = 500, in the (10, 25] bucket holding 100..600: 10 + 15 x (400 / 500) = 22.
        Assert.Equal(22, LatencyQuantileTest.HistogramQuantile(Primary, 0.5), 1e-9);
        // rank 990 in (50, 100] holding 950..995: 50 + 50 x 40 / 45.
        Assert.Equal(50 + (50.0 * 40 / 45), LatencyQuantileTest.HistogramQuantile(Primary, 0.99), 1e-9);
        // First bucket interpolates from 0: rank 50 of 100 in (0, 10].
        Assert.Equal(5, LatencyQuantileTest.HistogramQuantile(Primary, 0.05), 1e-9);
        // A rank in +Inf answers the largest finite bound.
        Assert.Equal(1000, LatencyQuantileTest.HistogramQuantile(Histogram((1000, 10), (double.PositiveInfinity, 100)), 0.99), 1e-9);
        Assert.True(double.IsNaN(LatencyQuantileTest.HistogramQuantile(Histogram((double.PositiveInfinity, 0)), 0.99)));
    }

    [Fact]
    public void Unsorted_buckets_are_sorted_first()
    {
        var shuffled = Primary.OrderByDescending(b => b.CumulativeCount).ThenBy(b => b.UpperBound).ToList();

        Assert.Equal(22, LatencyQuantileTest.HistogramQuantile(shuffled, 0.5), 1e-9);
        Assert.Equal(LatencyQuantileTest.Compare(Primary, Primary, 0.99, 1.5, 0, 1), LatencyQuantileTest.Compare(shuffled, shuffled, 0.99, 1.5, 0, 1));
    }
}
