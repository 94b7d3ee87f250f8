using System.Text.Json.Serialization;
using Canary.Api.Crd;
using Canary.Api.Durations;

namespace Canary.Api.V1Beta1;

/// <summary>One metric check of the analysis: a built-in metric, a MetricTemplate or an inline query, with its accepted range.</summary>
public sealed class CanaryMetric
{
    /// <summary>Name of the check; request-success-rate and request-duration select the built-in metrics.</summary>
    [JsonPropertyName("name")]
    [CrdRequired]
    public string? Name { get; set; }

    /// <summary>Window the query aggregates over (Go duration). Default 1m.</summary>
    [JsonPropertyName("interval")]
    [CrdPattern(GoDuration.UnsignedPattern)]
    public string? Interval { get; set; }

    /// <summary>Deprecated: lower bound for request-success-rate, upper bound otherwise; use thresholdRange.</summary>
    [JsonPropertyName("threshold")]
    public double? Threshold { get; set; }

    /// <summary>Inclusive range the value must fall in (request-duration in milliseconds).</summary>
    [JsonPropertyName("thresholdRange")]
    public CanaryThresholdRange? ThresholdRange { get; set; }

    /// <summary>Deprecated: inline PromQL query run against the metrics server; use templateRef.</summary>
    [JsonPropertyName("query")]
    public string? Query { get; set; }

    /// <summary>MetricTemplate that defines the query. Default namespace: the Canary's.</summary>
    [JsonPropertyName("templateRef")]
    public CrossNamespaceObjectReference? TemplateRef { get; set; }

    /// <summary>With analysis.judge: how this metric's canary is compared with the primary (defaults per metric kind).</summary>
    [JsonPropertyName("judge")]
    public MetricJudge? Judge { get; set; }

    /// <summary>Extra variables available to the template's query.</summary>
    [JsonPropertyName("templateVariables")]
    public IDictionary<string, string>? TemplateVariables { get; set; }
}

/// <summary>Inclusive bounds of an accepted metric value; either bound may be omitted.</summary>
public sealed class CanaryThresholdRange
{
    /// <summary>Lowest accepted value (inclusive).</summary>
    [JsonPropertyName("min")]
    public double? Min { get; set; }

    /// <summary>Highest accepted value (inclusive).</summary>
    [JsonPropertyName("max")]
    public double? Max { get; set; }
}

/// <summary>Names of the metrics computed by the controller without a template.</summary>
public static class BuiltInMetrics
{
    /// <summary>Percentage of non-5xx responses of the canary.</summary>
    public const string RequestSuccessRate = "request-success-rate";

    /// <summary>P99 request duration of the canary, in milliseconds.</summary>
    public const string RequestDuration = "request-duration";

    /// <summary>True if <paramref name="name"/> names a built-in metric.</summary>
    public static bool IsBuiltIn(string? name) => name is RequestSuccessRate or RequestDuration;
}
