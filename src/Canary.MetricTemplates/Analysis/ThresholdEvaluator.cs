using System.Globalization;
using Canary.Api.Durations;
using Canary.Api.V1Beta1;

namespace Canary.MetricTemplates.Analysis;

/// <summary>
/// Flagger's threshold rules. Bounds are inclusive (a value equal to min or max passes). Without thresholdRange the
/// deprecated <c>threshold</c> applies (unset counts as 0, as in Flagger): a minimum for request-success-rate, a maximum otherwise.
/// request-duration values and bounds are whole milliseconds (truncated), shown as Go durations.
/// </summary>
public static class ThresholdEvaluator
{
    /// <summary>The verdict for <paramref name="value"/>: null when it passes, else the Flagger-worded reason.</summary>
    public static string? Violation(MetricKind kind, double value, CanaryMetric metric, string canaryId)
    {
        ArgumentNullException.ThrowIfNull(metric);
        var range = EffectiveRange(kind, metric);
        var (min, max) = kind == MetricKind.Duration
            ? (Truncate(range.Min), Truncate(range.Max))
            : (range.Min, range.Max);

        if (min is { } low && value < low)
        {
            return Describe(kind, canaryId, metric.Name, value, "<", low);
        }

        return max is { } high && value > high ? Describe(kind, canaryId, metric.Name, value, ">", high) : null;
    }

    /// <summary>The range actually applied: thresholdRange, else the deprecated threshold as min (success rate) or max.</summary>
    public static CanaryThresholdRange EffectiveRange(MetricKind kind, CanaryMetric metric)
    {
        ArgumentNullException.ThrowIfNull(metric);
        if (metric.ThresholdRange is { } range)
        {
            return range;
        }

        var threshold = metric.Threshold ?? 0;
        return kind == MetricKind.SuccessRate ? new() { Min = threshold } : new() { Max = threshold };
    }

    /// <summary>Flagger's value for request-duration: whole milliseconds, truncated.</summary>
    public static double ToWholeMilliseconds(double raw, double scale) => Math.Truncate(raw * scale);

    private static string Describe(MetricKind kind, string canaryId, string? metricName, double value, string op, double bound) => kind switch
    {
        MetricKind.SuccessRate => $"Halt {canaryId} advancement success rate {F2(value)}% {op} {V(bound)}%",
        MetricKind.Duration => $"Halt {canaryId} advancement request duration {Ms(value)} {op} {Ms(bound)}",
        _ => $"Halt {canaryId} advancement {metricName} {F2(value)} {op} {V(bound)}",
    };

    private static double? Truncate(double? bound) => bound is { } b ? Math.Truncate(b) : null;

    private static string F2(double value) => value.ToString("F2", CultureInfo.InvariantCulture);

    // Go's %v of a float64: shortest round-trip form.
    private static string V(double value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Ms(double milliseconds) =>
        double.IsFinite(milliseconds) && Math.Abs(milliseconds) < TimeSpan.MaxValue.TotalMilliseconds
            ? GoDuration.Format(TimeSpan.FromMilliseconds(milliseconds))
            : $"{V(milliseconds)}ms";
}
