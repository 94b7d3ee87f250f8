using System.Text.Json.Serialization;
using Canary.Api.Crd;
using Canary.Api.Durations;

namespace Canary.Api.V1Beta1;

/// <summary>An HTTP call made during the rollout: a gate, a check, a load test or a notification.</summary>
public sealed class CanaryWebhook
{
    /// <summary>Name of the webhook, shown in events.</summary>
    [JsonPropertyName("name")]
    [CrdRequired]
    public string? Name { get; set; }

    /// <summary>When the webhook runs: confirm-rollout, pre-rollout, rollout, confirm-traffic-increase, confirm-promotion, post-rollout, rollback or event. Default rollout.</summary>
    [JsonPropertyName("type")]
    [CrdEnum("", WebhookTypes.ConfirmRollout, WebhookTypes.PreRollout, WebhookTypes.Rollout, WebhookTypes.ConfirmPromotion,
        WebhookTypes.PostRollout, WebhookTypes.Event, WebhookTypes.Rollback, WebhookTypes.ConfirmTrafficIncrease)]
    public string? Type { get; set; }

    /// <summary>Absolute http(s) URL the payload is POSTed to.</summary>
    [JsonPropertyName("url")]
    [CrdRequired]
    public string? Url { get; set; }

    /// <summary>Timeout of each call (Go duration). Default 10s.</summary>
    [JsonPropertyName("timeout")]
    [CrdPattern(GoDuration.UnsignedPattern)]
    public string? Timeout { get; set; }

    /// <summary>Retries on connection errors, 429 and 5xx. Default 0.</summary>
    [JsonPropertyName("retries")]
    [CrdRange(0, int.MaxValue)]
    public int? Retries { get; set; }

    /// <summary>Skip TLS certificate verification. Default false.</summary>
    [JsonPropertyName("disableTLS")]
    public bool? DisableTls { get; set; }

    /// <summary>Do not send alerts when this gate halts the rollout. Default false.</summary>
    [JsonPropertyName("muteAlert")]
    public bool? MuteAlert { get; set; }

    /// <summary>Key/value pairs sent in the payload, e.g. the load tester's type and cmd.</summary>
    [JsonPropertyName("metadata")]
    public IDictionary<string, string>? Metadata { get; set; }
}

/// <summary>Webhook types (when a webhook runs).</summary>
public static class WebhookTypes
{
    public const string ConfirmRollout = "confirm-rollout";
    public const string PreRollout = "pre-rollout";
    public const string Rollout = "rollout";
    public const string ConfirmTrafficIncrease = "confirm-traffic-increase";
    public const string ConfirmPromotion = "confirm-promotion";
    public const string PostRollout = "post-rollout";
    public const string Rollback = "rollback";
    public const string Event = "event";

    /// <summary>Every accepted type; an empty or missing type means rollout.</summary>
    public static IReadOnlyList<string> All { get; } =
        [ConfirmRollout, PreRollout, Rollout, ConfirmTrafficIncrease, ConfirmPromotion, PostRollout, Rollback, Event];
}
