using Canary.Api.V1Beta1;

namespace Canary.Webhooks.Alerts;

/// <summary>An alert the state machine raises: text, severity, fields, and the webhook that caused it (for muteAlert).</summary>
public sealed record AlertEvent(string Text, AlertSeverity Severity)
{
    /// <summary>Lines shown under the text (see <see cref="AlertFields"/>).</summary>
    public IReadOnlyList<AlertField> Fields { get; init; } = [];

    /// <summary>The gate whose refusal raised this alert; its muteAlert suppresses the alert.</summary>
    public CanaryWebhook? CausedBy { get; init; }
}
