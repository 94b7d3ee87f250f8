using Canary.Controller.Kubernetes;
using Microsoft.Extensions.Time.Testing;

namespace Canary.Controller.Tests.Kubernetes;

public class TokenBucketTests
{
    [Fact]
    public void Allows_the_burst_then_spaces_requests_at_the_rate()
    {
        var time = new FakeTimeProvider();
        var bucket = new TokenBucket(perSecond: 10, burst: 3, time);

        Assert.Equal(TimeSpan.Zero, bucket.Reserve());
        Assert.Equal(TimeSpan.Zero, bucket.Reserve());
        Assert.Equal(TimeSpan.Zero, bucket.Reserve());
        Assert.Equal(TimeSpan.FromMilliseconds(100), bucket.Reserve());
        Assert.Equal(TimeSpan.FromMilliseconds(200), bucket.Reserve());
    }

    [Fact]
    public void Refills_over_time_but_never_above_the_burst()
    {
        var time = new FakeTimeProvider();
        var bucket = new TokenBucket(perSecond: 100, burst: 250, time);
        for (var i = 0; i < 250; i++)
        {
            Assert.Equal(TimeSpan.Zero, bucket.Reserve());
        }

        Assert.True(bucket.Reserve() > TimeSpan.Zero);
        time.Advance(TimeSpan.FromHours(1));
        for (var i = 0; i < 250; i++)
        {
            Assert.Equal(TimeSpan.Zero, bucket.Reserve());
        }

        Assert.True(bucket.Reserve() > TimeSpan.Zero);
    }

    [Fact]
    public async Task WaitAsync_completes_when_the_clock_provides_a_token()
    {
        var time = new FakeTimeProvider();
        var bucket = new TokenBucket(perSecond: 1, burst: 1, time);
        await bucket.WaitAsync(CancellationToken.None);

        var wait = bucket.WaitAsync(CancellationToken.None);
        Assert.False(wait.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));
        await wait.WaitAsync(TimeSpan.FromSeconds(5));
    }
}
