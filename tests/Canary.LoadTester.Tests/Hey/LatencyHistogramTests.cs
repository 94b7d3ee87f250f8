using Canary.LoadTester.Hey;

namespace Canary.LoadTester.Tests.Hey;

public sealed class LatencyHistogramTests
{
    [Fact]
    public void Percentiles_are_nearest_rank_and_exact_below_two_milliseconds()
    {
        var h = new LatencyHistogram();
        for (var us = 1; us <= 1000; us++)
        {
            h.Record(TimeSpan.FromMicroseconds(us));
        }

        Assert.Equal(1000, h.Count);
        Assert.Equal(TimeSpan.FromMicroseconds(500), h.Percentile(50));
        Assert.Equal(TimeSpan.FromMicroseconds(900), h.Percentile(90));
        Assert.Equal(TimeSpan.FromMicroseconds(990), h.Percentile(99));
        Assert.Equal(TimeSpan.FromMicroseconds(1000), h.Percentile(100));
        Assert.Equal(TimeSpan.FromMicroseconds(1), h.Min);
        Assert.Equal(TimeSpan.FromMicroseconds(1000), h.Max);
        Assert.Equal(TimeSpan.FromMicroseconds(500.5), h.Mean);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(47)]
    [InlineData(1_234)]
    [InlineData(60_000)]
    [InlineData(3_600_000)]
    public void Larger_values_are_within_a_tenth_of_a_percent(double milliseconds)
    {
        var h = new LatencyHistogram();
        var value = TimeSpan.FromMilliseconds(milliseconds);
        h.Record(value);
        h.Record(value * 2);

        Assert.InRange(h.Percentile(50).Ticks, value.Ticks, value.Ticks * 1.001);
        Assert.Equal(value * 2, h.Percentile(100));
        Assert.Equal(value * 2, h.Max);
    }

    [Fact]
    public void Records_from_many_threads_without_losing_any()
    {
        var h = new LatencyHistogram();
        Parallel.For(0, 100_000, i => h.Record(TimeSpan.FromMicroseconds(i % 5000)));

        Assert.Equal(100_000, h.Count);
        Assert.Equal(TimeSpan.Zero, h.Min);
        Assert.Equal(TimeSpan.FromMicroseconds(4999), h.Max);
    }

    [Fact]
    public void An_empty_histogram_reads_zero()
    {
        var h = new LatencyHistogram();

        Assert.Equal(TimeSpan.Zero, h.Percentile(99));
        Assert.Equal(TimeSpan.Zero, h.Min);
        Assert.Equal(TimeSpan.Zero, h.Mean);
    }
}
