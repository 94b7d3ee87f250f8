using Canary.MetricTemplates.Providers;

namespace Canary.MetricTemplates.Analysis;

/// <summary>User-facing texts for results without a threshold verdict, worded like Flagger's events.</summary>
internal static class MetricMessages
{
    public static string NoData(string metricName, ResolvedMetricQuery resolved, string target, string ns, string? detail) => resolved switch
    {
        { Observer: { } observer } =>
            $"Halt advancement no values found for {observer} metric {metricName} probably {target}.{ns} is not receiving traffic: no data ({detail})",
        { Kind: MetricKind.Custom, Source: "inline query" } => $"Halt advancement no values found for metric: {metricName}: no data ({detail})",
        _ => $"Halt advancement no values found for custom metric: {metricName}: no data ({detail})",
    };

    public static string Unreachable(string metricName, ResolvedMetricQuery resolved, string? detail) =>
        $"Metric query failed for {metricName}{OfTemplate(resolved)}: metric provider {resolved.Provider.Describe()} unreachable: {detail}";

    public static string QueryFailed(string metricName, ResolvedMetricQuery resolved, string? detail) => $"Metric query failed for {metricName}{OfTemplate(resolved)}: {detail}";

    // A template's failure names it (the backend is in the detail), so a wrong template is found without reading the Canary.
    private static string OfTemplate(ResolvedMetricQuery resolved) =>
        resolved.Source.StartsWith("template ", StringComparison.Ordinal) ? $" ({resolved.Source})" : string.Empty;

    public static string Passed(string metricName, double value) =>
        FormattableString.Invariant($"Metric {metricName} value {value} is within range");
}
