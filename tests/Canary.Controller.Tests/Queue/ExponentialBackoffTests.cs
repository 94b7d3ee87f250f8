using Canary.Controller.Queue;

namespace Canary.Controller.Tests.Queue;

public class ExponentialBackoffTests
{
    [Fact]
    public void Doubles_from_the_base_and_stops_at_the_cap()
    {
        var backoff = new ExponentialBackoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1), jitter: 0.2, random: () => 0);

        Assert.Equal(TimeSpan.FromMilliseconds(100), backoff.Delay(1));
        Assert.Equal(TimeSpan.FromMilliseconds(200), backoff.Delay(2));
        Assert.Equal(TimeSpan.FromMilliseconds(800), backoff.Delay(4));
        Assert.Equal(TimeSpan.FromSeconds(1), backoff.Delay(5));
        Assert.Equal(TimeSpan.FromSeconds(1), backoff.Delay(500));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(10)]
    [InlineData(60)]
    public void Jitter_stays_within_its_fraction_below_the_raw_delay(int attempt)
    {
        var rng = new Random(42);
        var backoff = new ExponentialBackoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(10), jitter: 0.25, random: rng.NextDouble);
        var raw = Math.Min(100 * Math.Pow(2, attempt - 1), 10_000);

        for (var i = 0; i < 1000; i++)
        {
            var delay = backoff.Delay(attempt).TotalMilliseconds;
            Assert.InRange(delay, (raw * 0.75) - 0.001, raw);
        }
    }

    [Fact]
    public void Jitter_actually_spreads_delays()
    {
        var backoff = new ExponentialBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1), jitter: 0.5, random: new Random(7).NextDouble);
        var distinct = Enumerable.Range(0, 50).Select(_ => backoff.Delay(3)).Distinct().Count();
        Assert.True(distinct > 40);
    }

    [Fact]
    public void Rejects_a_cap_below_the_base() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExponentialBackoff(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1)));
}
