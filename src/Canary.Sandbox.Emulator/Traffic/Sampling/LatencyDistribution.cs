namespace Canary.Sandbox.Traffic.Sampling;

/// <summary>Log-normal response times fitted to a median and a 99th percentile, in milliseconds.</summary>
internal sealed record LatencyDistribution(double P50Milliseconds, double P99Milliseconds)
{
    // z-score of the 99th percentile of the standard normal.
    private const double Z99 = 2.3263478740408408;

    public static LatencyDistribution Default { get; } = new(10, 50);

    private double Mu => Math.Log(Math.Max(P50Milliseconds, 0.001));

    private double Sigma => P99Milliseconds > P50Milliseconds ? Math.Log(P99Milliseconds / P50Milliseconds) / Z99 : 0;

    public double Sample(Sampler sampler) => Math.Exp(Mu + (Sigma * sampler.StandardNormal()));
}
