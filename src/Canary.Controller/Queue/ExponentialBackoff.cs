namespace Canary.Controller.Queue;

/// <summary>
/// Exponential backoff with a cap and multiplicative jitter: the delay for attempt n is
/// <c>min(cap, base * 2^(n-1)) * (1 - jitter * r)</c>, r in [0,1), so it never exceeds the cap and
/// retries of many keys that failed together spread out instead of hitting the API server in lockstep.
/// </summary>
public sealed class ExponentialBackoff : IBackoff
{
    private readonly Func<double> _random;

    /// <summary>Creates a backoff; <paramref name="random"/> defaults to <see cref="Random.Shared"/>.</summary>
    public ExponentialBackoff(TimeSpan baseDelay, TimeSpan maxDelay, double jitter = 0.2, Func<double>? random = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(baseDelay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDelay, baseDelay);
        ArgumentOutOfRangeException.ThrowIfLessThan(jitter, 0.0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(jitter, 1.0);
        BaseDelay = baseDelay;
        MaxDelay = maxDelay;
        Jitter = jitter;
        _random = random ?? Random.Shared.NextDouble;
    }

    /// <summary>Delay of the first retry before jitter.</summary>
    public TimeSpan BaseDelay { get; }

    /// <summary>Upper bound of any delay.</summary>
    public TimeSpan MaxDelay { get; }

    /// <summary>Fraction of the delay that jitter may remove.</summary>
    public double Jitter { get; }

    /// <summary>The work queue's default: 200 ms doubling up to 5 minutes, 20% jitter.</summary>
    public static ExponentialBackoff Default { get; } = new(TimeSpan.FromMilliseconds(200), TimeSpan.FromMinutes(5));

    /// <inheritdoc />
    public TimeSpan Delay(int attempt)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        // 2^62 ticks overflows; anything past 2^40 times the base is beyond any sane cap anyway.
        var exponent = Math.Min(attempt - 1, 40);
        var raw = BaseDelay.Ticks * Math.Pow(2, exponent);
        var capped = Math.Min(raw, MaxDelay.Ticks);
        var jittered = capped * (1 - (Jitter * _random()));
        return TimeSpan.FromTicks((long)jittered);
    }
}
