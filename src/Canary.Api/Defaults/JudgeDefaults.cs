using Canary.Api.V1Beta1;

namespace Canary.Api.Defaults;

/// <summary>The judge's settings with defaults applied (see <see cref="CanaryJudge"/>).</summary>
/// <param name="Confidence">Confidence needed to fail a check.</param>
/// <param name="FailFastConfidence">Confidence that rolls back at once.</param>
/// <param name="MinSamples">Fewest samples on each side for a verdict.</param>
/// <param name="MaxInconclusive">Inconclusive checks in a row before onInconclusive applies.</param>
/// <param name="FailWhenInconclusive">True when onInconclusive is Fail.</param>
public sealed record EffectiveJudge(double Confidence, double FailFastConfidence, int MinSamples, int MaxInconclusive, bool FailWhenInconclusive)
{
    /// <summary>Default confidence needed to fail a check.</summary>
    public const double DefaultConfidence = 0.99;

    /// <summary>Default confidence that rolls back at once.</summary>
    public const double DefaultFailFastConfidence = 0.99999;

    /// <summary>Default fewest samples per side.</summary>
    public const int DefaultMinSamples = 100;

    /// <summary>Default inconclusive checks in a row before acting.</summary>
    public const int DefaultMaxInconclusive = 10;

    /// <summary>Default canary/primary ratio accepted for failure shares and latency quantiles.</summary>
    public const double DefaultMaxRatio = 1.5;

    /// <summary>Default latency quantile compared.</summary>
    public const double DefaultQuantile = 0.99;

    /// <summary>The effective judge of <paramref name="analysis"/>, or null when the judge is off.</summary>
    public static EffectiveJudge? For(CanaryAnalysis? analysis) => analysis?.Judge is not { } judge
        ? null
        : new EffectiveJudge(
            judge.Confidence ?? DefaultConfidence,
            judge.FailFastConfidence ?? Math.Max(DefaultFailFastConfidence, judge.Confidence ?? DefaultConfidence),
            judge.MinSamples ?? DefaultMinSamples,
            judge.MaxInconclusive ?? DefaultMaxInconclusive,
            judge.OnInconclusive == JudgeInconclusiveActions.Fail);

    /// <summary>The per-metric comparison settings of <paramref name="metric"/> under this judge.</summary>
    public EffectiveMetricJudge ForMetric(CanaryMetric metric)
    {
        ArgumentNullException.ThrowIfNull(metric);
        var settings = metric.Judge;
        return new EffectiveMetricJudge(
            settings?.MaxRatio ?? DefaultMaxRatio,
            settings?.Margin ?? 0,
            settings?.Quantile ?? DefaultQuantile,
            settings?.MinSamples ?? MinSamples);
    }
}

/// <summary>One metric's comparison settings with defaults applied.</summary>
/// <param name="MaxRatio">Largest accepted canary/primary ratio.</param>
/// <param name="Margin">Increases below this are never failures (percentage points, or ms).</param>
/// <param name="Quantile">Latency quantile compared.</param>
/// <param name="MinSamples">Fewest samples on each side.</param>
public sealed record EffectiveMetricJudge(double MaxRatio, double Margin, double Quantile, int MinSamples);
