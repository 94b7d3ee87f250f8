using Canary.Api.V1Beta1;

namespace Canary.Api.Vocabulary;

/// <summary>Maps <see cref="WebhookType"/> to and from the <c>type</c> strings of the Canary spec.</summary>
public static class WebhookTypeNames
{
    /// <summary>Parses a spec <c>type</c>; null or empty means rollout (as in Flagger). Returns false for unknown strings.</summary>
    public static bool TryParse(string? value, out WebhookType type)
    {
        type = WebhookType.Rollout;
        switch (value)
        {
            case null or "" or WebhookTypes.Rollout: return true;
            case WebhookTypes.ConfirmRollout: type = WebhookType.ConfirmRollout; return true;
            case WebhookTypes.PreRollout: type = WebhookType.PreRollout; return true;
            case WebhookTypes.ConfirmTrafficIncrease: type = WebhookType.ConfirmTrafficIncrease; return true;
            case WebhookTypes.ConfirmPromotion: type = WebhookType.ConfirmPromotion; return true;
            case WebhookTypes.PostRollout: type = WebhookType.PostRollout; return true;
            case WebhookTypes.Rollback: type = WebhookType.Rollback; return true;
            case WebhookTypes.Event: type = WebhookType.Event; return true;
            default: return false;
        }
    }

    /// <summary>The spec string of <paramref name="type"/>, e.g. <c>confirm-rollout</c>.</summary>
    public static string ToName(this WebhookType type) => type switch
    {
        WebhookType.ConfirmRollout => WebhookTypes.ConfirmRollout,
        WebhookType.PreRollout => WebhookTypes.PreRollout,
        WebhookType.Rollout => WebhookTypes.Rollout,
        WebhookType.ConfirmTrafficIncrease => WebhookTypes.ConfirmTrafficIncrease,
        WebhookType.ConfirmPromotion => WebhookTypes.ConfirmPromotion,
        WebhookType.PostRollout => WebhookTypes.PostRollout,
        WebhookType.Rollback => WebhookTypes.Rollback,
        WebhookType.Event => WebhookTypes.Event,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown webhook type."),
    };

    /// <summary>True for the approval gates, whose not-2xx answer means "wait", never "fail".</summary>
    public static bool IsGate(this WebhookType type) =>
        type is WebhookType.ConfirmRollout or WebhookType.ConfirmTrafficIncrease or WebhookType.ConfirmPromotion;

    /// <summary>True when <paramref name="hook"/> is of <paramref name="type"/> (unknown type strings match nothing).</summary>
    public static bool Is(this CanaryWebhook hook, WebhookType type)
    {
        ArgumentNullException.ThrowIfNull(hook);
        return TryParse(hook.Type, out var parsed) && parsed == type;
    }
}
