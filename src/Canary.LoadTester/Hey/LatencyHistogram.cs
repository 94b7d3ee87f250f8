using System.Numerics;

namespace Canary.LoadTester.Hey;

/// <summary>
/// A thread-safe latency histogram in the manner of HdrHistogram: microsecond values, exact below 2,048 µs, then
/// 1,024 linear sub-buckets per power of two (within 0.1 %) up to about 38 hours; minimum, maximum and sum are exact.
/// Recording is lock-free (one interlocked increment), so every worker of a run records into one histogram.
/// </summary>
public sealed class LatencyHistogram
{
    private const int SubBucketBits = 11;
    private const int SubBucketCount = 1 << SubBucketBits;
    private const int SubBucketHalf = SubBucketCount / 2;
    private const int MaxExponent = 37;
    private static readonly long MaxTrackable = (1L << MaxExponent) - 1;
    private readonly long[] _counts = new long[SubBucketCount + ((MaxExponent - SubBucketBits) * SubBucketHalf)];
    private long _count;
    private long _sum;
    private long _min = long.MaxValue;
    private long _max;

    /// <summary>Values recorded.</summary>
    public long Count => Interlocked.Read(ref _count);

    /// <summary>The smallest value recorded (zero when none).</summary>
    public TimeSpan Min => Count == 0 ? TimeSpan.Zero : TimeSpan.FromMicroseconds(Interlocked.Read(ref _min));

    /// <summary>The largest value recorded (exact).</summary>
    public TimeSpan Max => TimeSpan.FromMicroseconds(Interlocked.Read(ref _max));

    /// <summary>The mean of the values recorded.</summary>
    public TimeSpan Mean => Count == 0 ? TimeSpan.Zero : TimeSpan.FromMicroseconds((double)Interlocked.Read(ref _sum) / Count);

    /// <summary>Records one latency (negative counts as zero, beyond the range as the range's end).</summary>
    public void Record(TimeSpan latency)
    {
        var micros = Math.Clamp(latency.Ticks / 10, 0, MaxTrackable);
        Interlocked.Increment(ref _counts[Index(micros)]);
        Interlocked.Increment(ref _count);
        Interlocked.Add(ref _sum, micros);
        long seen;
        while (micros < (seen = Interlocked.Read(ref _min)) && Interlocked.CompareExchange(ref _min, micros, seen) != seen)
        {
        }

        while (micros > (seen = Interlocked.Read(ref _max)) && Interlocked.CompareExchange(ref _max, micros, seen) != seen)
        {
        }
    }

    /// <summary>
    /// The value at <paramref name="percent"/> (0–100) by nearest rank: the smallest value that at least that share of
    /// the recorded values do not exceed, as the highest value of its bucket (so at most 0.1 % above it, and never above
    /// the exact maximum).
    /// </summary>
    public TimeSpan Percentile(double percent)
    {
        var count = Count;
        if (count == 0)
        {
            return TimeSpan.Zero;
        }

        var rank = Math.Max(1, (long)Math.Ceiling(Math.Clamp(percent, 0, 100) / 100 * count));
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += Interlocked.Read(ref _counts[i]);
            if (seen >= rank)
            {
                return TimeSpan.FromMicroseconds(Math.Min(HighestValue(i), Interlocked.Read(ref _max)));
            }
        }

        return Max;
    }

    private static int Index(long micros)
    {
        if (micros < SubBucketCount)
        {
            return (int)micros;
        }

        var exponent = 63 - BitOperations.LeadingZeroCount((ulong)micros);
        var shift = exponent - SubBucketBits + 1;
        var sub = (int)(micros >> shift) - SubBucketHalf;
        return SubBucketCount + ((shift - 1) * SubBucketHalf) + sub;
    }

    private static long HighestValue(int index)
    {
        if (index < SubBucketCount)
        {
            return index;
        }

        var shift = ((index - SubBucketCount) / SubBucketHalf) + 1;
        var sub = ((index - SubBucketCount) % SubBucketHalf) + SubBucketHalf;
        return (((long)sub + 1) << shift) - 1;
    }
}
