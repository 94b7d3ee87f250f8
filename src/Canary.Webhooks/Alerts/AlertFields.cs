using System.Globalization;
using Canary.Api.Defaults;
using CanaryResource = Canary.Api.V1Beta1.Canary;

namespace Canary.Webhooks.Alerts;

/// <summary>The fields Flagger attaches to alerts: Cluster, and for "+fields" alerts Target, threshold, deadline and routing.</summary>
public static class AlertFields
{
    /// <summary>Cluster (when named) and, when <paramref name="withMetadata"/>, the canary's rollout settings.</summary>
    public static IReadOnlyList<AlertField> For(CanaryResource canary, string? clusterName, bool withMetadata)
    {
        ArgumentNullException.ThrowIfNull(canary);
        var fields = new List<AlertField>();
        if (!string.IsNullOrEmpty(clusterName))
        {
            fields.Add(new AlertField("Cluster", clusterName));
        }

        if (!withMetadata)
        {
            return fields;
        }

        var spec = canary.Spec;
        var analysis = spec?.EffectiveAnalysis();
        var target = spec?.TargetRef;
        fields.Add(new AlertField("Target", $"{target?.Kind}/{target?.Name}.{canary.Metadata?.NamespaceProperty}"));
        fields.Add(new AlertField("Failed checks threshold", (analysis?.EffectiveThreshold() ?? CanaryDefaults.Threshold).ToString(CultureInfo.InvariantCulture)));
        var deadline = spec?.EffectiveProgressDeadline() ?? TimeSpan.FromSeconds(CanaryDefaults.ProgressDeadlineSeconds);
        fields.Add(new AlertField("Progress deadline", string.Create(CultureInfo.InvariantCulture, $"{(long)deadline.TotalSeconds}s")));
        if (TrafficRouting(analysis) is { } routing)
        {
            fields.Add(new AlertField("Traffic routing", routing));
        }

        return fields;
    }

    // Same precedence as Flagger's alertMetadata: stepWeight, stepWeights, match (A/B), iterations (Blue/Green).
    private static string? TrafficRouting(Api.V1Beta1.CanaryAnalysis? analysis) => analysis switch
    {
        null => null,
        { StepWeight: > 0 } => string.Create(CultureInfo.InvariantCulture, $"Weight step: {analysis.StepWeight} max: {analysis.EffectiveMaxWeight()}"),
        { StepWeights.Count: > 0 } => string.Create(
            CultureInfo.InvariantCulture, $"Weight steps: {string.Join(',', analysis.StepWeights)} max: {analysis.EffectiveMaxWeight()}"),
        { Match.Count: > 0 } => "A/B Testing",
        { Iterations: > 0 } => "Blue/Green",
        _ => null,
    };
}
