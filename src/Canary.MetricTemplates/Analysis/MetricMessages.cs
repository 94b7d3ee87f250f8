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

    public static string Unreachable(string metricName, MetricProviderSpec provider, string? detail) =>
        $"Metric query failed for {metricName}: metric provider {provider.Describe()} unreachable: {detail}";

    public static string QueryFailed(string metricName, string? detail) => $"Metric query failed for {metricName}: {detail}";

    public static string Passed(string metricName, double value) =>
        FormattableString.Invariant($"Metric {metricName} value {value} is within range");
}
