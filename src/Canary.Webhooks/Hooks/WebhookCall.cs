using Canary.Api.V1Beta1;

namespace Canary.Webhooks.Hooks;

/// <summary>One hook called and what it answered.</summary>
public sealed record WebhookCall(CanaryWebhook Hook, WebhookResult Result)
{
    /// <summary>The hook's name, for event messages.</summary>
    public string Name => Hook.Name ?? string.Empty;
}
