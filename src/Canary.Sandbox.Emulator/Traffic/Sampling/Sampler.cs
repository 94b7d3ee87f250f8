namespace Canary.Sandbox.Traffic.Sampling;

/// <summary>
/// Count draws over one seeded <see cref="Random"/> (not thread-safe: only the tick uses it). Exact Poisson and
/// binomial draws, so low traffic is as lumpy as real low traffic; cost grows with the counts, never with objects.
/// </summary>
internal sealed class Sampler(Random random)
{
    // Knuth's product method is exact but underflows for large means; a Poisson is the sum of Poissons of its parts.
    private const double PoissonChunk = 30;

    public double NextDouble() => random.NextDouble();

    /// <summary>A uniform index in [0, <paramref name="count"/>).</summary>
    public int NextIndex(int count) => random.Next(count);

    public int Poisson(double mean)
    {
        var total = 0;
        while (mean > 0)
        {
            var part = Math.Min(mean, PoissonChunk);
            total += Knuth(part);
            mean -= part;
        }

        return total;
    }

    public int Binomial(int n, double p)
    {
        if (n <= 0 || p <= 0)
        {
            return 0;
        }

        if (p >= 1)
        {
            return n;
        }

        var hits = 0;
        for (var i = 0; i < n; i++)
        {
            if (random.NextDouble() < p)
            {
                hits++;
            }
        }

        return hits;
    }

    /// <summary>Splits <paramref name="n"/> by <paramref name="weights"/> (sequential binomials); zero total weight leaves all counts 0.</summary>
    public void Multinomial(int n, ReadOnlySpan<double> weights, Span<int> counts)
    {
        var remainingWeight = 0.0;
        foreach (var w in weights)
        {
            remainingWeight += Math.Max(0, w);
        }

        for (var i = 0; i < weights.Length; i++)
        {
            var w = Math.Max(0, weights[i]);
            counts[i] = remainingWeight <= 0 ? 0 : Binomial(n, w / remainingWeight);
            n -= counts[i];
            remainingWeight -= w;
        }
    }

    /// <summary>Standard normal draw (Box-Muller).</summary>
    public double StandardNormal()
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    private int Knuth(double mean)
    {
        var limit = Math.Exp(-mean);
        var k = 0;
        var product = random.NextDouble();
        while (product > limit)
        {
            k++;
            product *= random.NextDouble();
        }

        return k;
    }
}
