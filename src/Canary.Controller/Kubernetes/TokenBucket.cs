namespace Canary.Controller.Kubernetes;

/// <summary>
/// A token bucket on an injected clock (golang.org/x/time/rate semantics, like client-go's QPS/burst limiter):
/// <see cref="Reserve"/> takes a token now and says how long the caller must wait for it.
/// </summary>
public sealed class TokenBucket
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private double _tokens;
    private long _last;

    /// <summary>Creates a full bucket of <paramref name="burst"/> tokens refilled at <paramref name="perSecond"/>.</summary>
    public TokenBucket(double perSecond, int burst, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(perSecond, 0);
        ArgumentOutOfRangeException.ThrowIfLessThan(burst, 1);
        PerSecond = perSecond;
        Burst = burst;
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _tokens = burst;
        _last = time.GetTimestamp();
    }

    /// <summary>Sustained rate.</summary>
    public double PerSecond { get; }

    /// <summary>Bucket size.</summary>
    public int Burst { get; }

    /// <summary>Takes one token; returns how long to wait before using it (zero when one was available).</summary>
    public TimeSpan Reserve()
    {
        lock (_gate)
        {
            var now = _time.GetTimestamp();
            _tokens = Math.Min(Burst, _tokens + (_time.GetElapsedTime(_last, now).TotalSeconds * PerSecond));
            _last = now;
            _tokens -= 1;
            return _tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-_tokens / PerSecond);
        }
    }

    /// <summary>Waits until a token is available.</summary>
    public Task WaitAsync(CancellationToken cancellationToken)
    {
        var wait = Reserve();
        return wait == TimeSpan.Zero ? Task.CompletedTask : Task.Delay(wait, _time, cancellationToken);
    }
}
