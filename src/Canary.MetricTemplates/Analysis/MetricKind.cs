namespace Canary.MetricTemplates.Analysis;

/// <summary>How a metric's value is read and compared (Flagger's threshold semantics differ per kind).</summary>
public enum MetricKind
{
    /// <summary>Built-in request-success-rate: percent 0-100.</summary>
    SuccessRate,

    /// <summary>Built-in request-duration: whole milliseconds.</summary>
    Duration,

    /// <summary>MetricTemplate or inline query: the raw number.</summary>
    Custom,
}
