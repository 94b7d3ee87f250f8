using System.Globalization;
using Canary.Api.V1Beta1;
using CanaryResource = Canary.Api.V1Beta1.Canary;

namespace Canary.Webhooks.Hooks;

/// <summary>Builds the <see cref="WebhookPayload"/> Flagger sends for a Canary: gate/check hooks and event hooks.</summary>
public sealed class WebhookPayloadFactory(TimeProvider timeProvider)
{
    /// <summary>Metadata key of the event text in event payloads.</summary>
    public const string EventMessageKey = "eventMessage";

    /// <summary>Metadata key of the event type (Normal or Warning) in event payloads.</summary>
    public const string EventTypeKey = "eventType";

    /// <summary>Metadata key of the event time (Unix milliseconds, as a string) in event payloads.</summary>
    public const string TimestampKey = "timestamp";

    /// <summary>Payload of a gate or check hook: the given phase, the canary checksum and the hook's metadata.</summary>
    public static WebhookPayload Create(CanaryResource canary, CanaryWebhook hook, CanaryPhase phase)
    {
        ArgumentNullException.ThrowIfNull(canary);
        ArgumentNullException.ThrowIfNull(hook);
        var metadata = hook.Metadata is { Count: > 0 } m ? new Dictionary<string, string>(m, StringComparer.Ordinal) : null;
        return new WebhookPayload(NameOf(canary), NamespaceOf(canary), PhaseName(phase), CanaryChecksum.Compute(canary.Status), metadata)
        {
            Checks = LatestChecks(canary),
        };
    }

    /// <summary>
    /// Payload of an event hook: phase = status.phase, metadata = eventMessage, eventType, timestamp (Unix ms) plus the hook's
    /// own metadata, which cannot override those three keys (Flagger's rule).
    /// </summary>
    public WebhookPayload CreateEvent(CanaryResource canary, CanaryWebhook hook, string message, string eventType)
    {
        ArgumentNullException.ThrowIfNull(canary);
        ArgumentNullException.ThrowIfNull(hook);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [EventMessageKey] = message,
            [EventTypeKey] = eventType,
            [TimestampKey] = timeProvider.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in hook.Metadata ?? new Dictionary<string, string>())
        {
            metadata.TryAdd(key, value);
        }

        var phase = canary.Status?.Phase ?? CanaryPhase.None;
        return new WebhookPayload(NameOf(canary), NamespaceOf(canary), PhaseName(phase), CanaryChecksum.Compute(canary.Status), metadata)
        {
            Checks = LatestChecks(canary),
        };
    }

    /// <summary>Flagger's phase string: the enum name, or "" for <see cref="CanaryPhase.None"/>.</summary>
    public static string PhaseName(CanaryPhase phase) => phase == CanaryPhase.None ? string.Empty : phase.ToString();

    /// <summary>How many of the latest checks a payload carries.</summary>
    public const int PayloadChecks = 5;

    private static List<CanaryCheck>? LatestChecks(CanaryResource canary) =>
        canary.Status?.Checks is { Count: > 0 } checks ? [.. checks.TakeLast(PayloadChecks)] : null;

    private static string NameOf(CanaryResource canary) => canary.Metadata?.Name ?? string.Empty;

    private static string NamespaceOf(CanaryResource canary) => canary.Metadata?.NamespaceProperty ?? string.Empty;
}
