using Canary.Api.Durations;
using Canary.Api.V1Beta1;

namespace Canary.Api.Defaults;

/// <summary>Effective (defaulted) values of single fields, read without modifying the object.</summary>
public static class EffectiveValues
{
    /// <summary>spec.analysis, or the deprecated spec.canaryAnalysis when analysis is not set.</summary>
    public static CanaryAnalysis? EffectiveAnalysis(this CanarySpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.Analysis ?? spec.CanaryAnalysis;
    }

    /// <summary>progressDeadlineSeconds as a time span (default 600s).</summary>
    public static TimeSpan EffectiveProgressDeadline(this CanarySpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return TimeSpan.FromSeconds(spec.ProgressDeadlineSeconds ?? CanaryDefaults.ProgressDeadlineSeconds);
    }

    /// <summary>Analysis interval; the default (1m) when omitted or unparsable (validation reports the latter).</summary>
    public static TimeSpan EffectiveInterval(this CanaryAnalysis analysis)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        return GoDuration.TryParse(analysis.Interval, out var interval) && interval > TimeSpan.Zero ? interval : CanaryDefaults.AnalysisInterval;
    }

    /// <summary>Failed checks before rollback; 1 when omitted or not positive.</summary>
    public static int EffectiveThreshold(this CanaryAnalysis analysis)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        return analysis.Threshold is > 0 ? analysis.Threshold.Value : CanaryDefaults.Threshold;
    }

    /// <summary>ab-testing when iterations and match are set, blue-green when only iterations are, else canary.</summary>
    public static DeploymentStrategy EffectiveStrategy(this CanaryAnalysis analysis)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        return analysis.Iterations is > 0
            ? analysis.Match is { Count: > 0 } ? DeploymentStrategy.ABTesting : DeploymentStrategy.BlueGreen
            : DeploymentStrategy.Canary;
    }

    /// <summary>Highest canary weight: min(100, last stepWeights) when stepWeight is not set, else maxWeight (default 100).</summary>
    public static int EffectiveMaxWeight(this CanaryAnalysis analysis)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        if (analysis.StepWeight is not > 0 && analysis.StepWeights is { Count: > 0 } steps)
        {
            return Math.Min(CanaryDefaults.MaxWeight, steps[^1]);
        }

        return analysis.MaxWeight is > 0 ? analysis.MaxWeight.Value : CanaryDefaults.MaxWeight;
    }

    /// <summary>
    /// Weights of successive canary steps: stepWeights as written (capped at 100), or stepWeight, 2×stepWeight, … up to
    /// maxWeight (stepWeight wins when both are set, as in Flagger). Empty for a zero step.
    /// </summary>
    public static IReadOnlyList<int> EffectiveStepWeights(this CanaryAnalysis analysis)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        var max = analysis.EffectiveMaxWeight();
        if (analysis.StepWeight is int step && step > 0)
        {
            var weights = new List<int>();
            for (var weight = step; weight < max; weight += step)
            {
                weights.Add(weight);
            }

            weights.Add(max);
            return weights;
        }

        return analysis.StepWeights is { Count: > 0 } steps ? [.. steps.Select(w => Math.Min(w, CanaryDefaults.MaxWeight))] : [];
    }

    /// <summary>Query window of the metric (default 1m).</summary>
    public static TimeSpan EffectiveInterval(this CanaryMetric metric)
    {
        ArgumentNullException.ThrowIfNull(metric);
        return GoDuration.TryParse(metric.Interval, out var interval) && interval > TimeSpan.Zero ? interval : CanaryDefaults.MetricInterval;
    }

    /// <summary>Webhook type; rollout when empty or omitted.</summary>
    public static string EffectiveType(this CanaryWebhook webhook)
    {
        ArgumentNullException.ThrowIfNull(webhook);
        return string.IsNullOrEmpty(webhook.Type) ? CanaryDefaults.WebhookType : webhook.Type;
    }

    /// <summary>Timeout of one webhook call (default 10s).</summary>
    public static TimeSpan EffectiveTimeout(this CanaryWebhook webhook)
    {
        ArgumentNullException.ThrowIfNull(webhook);
        return GoDuration.TryParse(webhook.Timeout, out var timeout) && timeout > TimeSpan.Zero ? timeout : CanaryDefaults.WebhookTimeout;
    }

    /// <summary>Max-Age of the session affinity cookies in seconds (default 86400).</summary>
    public static int EffectiveMaxAge(this SessionAffinity affinity)
    {
        ArgumentNullException.ThrowIfNull(affinity);
        return affinity.MaxAge ?? CanaryDefaults.SessionAffinityMaxAgeSeconds;
    }

    /// <summary>Alert channel (default general).</summary>
    public static string EffectiveChannel(this AlertProviderSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return string.IsNullOrEmpty(spec.Channel) ? CanaryDefaults.AlertChannel : spec.Channel;
    }

    /// <summary>Alert user name (default canary).</summary>
    public static string EffectiveUsername(this AlertProviderSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return string.IsNullOrEmpty(spec.Username) ? CanaryDefaults.AlertUsername : spec.Username;
    }
}
