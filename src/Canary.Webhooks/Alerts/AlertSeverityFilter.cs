using Canary.Api.V1Beta1;

namespace Canary.Webhooks.Alerts;

/// <summary>Which alerts a <see cref="CanaryAlert"/> receives, by its <c>severity</c> field.</summary>
public static class AlertSeverityFilter
{
    /// <summary>
    /// info receives everything, warn receives warn and error, error receives only error (Flagger's current rule and its docs).
    /// An empty or unknown severity receives nothing: Flagger's behaviour, kept because the Canary API documents it.
    /// </summary>
    public static bool Accepts(string? alertSeverity, AlertSeverity severity) => alertSeverity switch
    {
        AlertSeverities.Info => true,
        AlertSeverities.Warn => severity >= AlertSeverity.Warn,
        AlertSeverities.Error => severity == AlertSeverity.Error,
        _ => false,
    };

    /// <summary>The wire name (info, warn, error).</summary>
    public static string ToName(this AlertSeverity severity) => severity switch
    {
        AlertSeverity.Info => AlertSeverities.Info,
        AlertSeverity.Warn => AlertSeverities.Warn,
        AlertSeverity.Error => AlertSeverities.Error,
        _ => throw new ArgumentOutOfRangeException(nameof(severity), severity, "Unknown severity."),
    };
}
