using Canary.Api.Defaults;

namespace Canary.Webhooks.Hooks;

/// <summary>Controller-wide webhook settings; per-hook timeout and retries come from the Canary spec.</summary>
public sealed class WebhookOptions
{
    /// <summary>Timeout of a hook without (or with an unusable) <c>timeout</c>. Flagger: 10s.</summary>
    public TimeSpan DefaultTimeout { get; set; } = CanaryDefaults.WebhookTimeout;

    /// <summary>First retry delay, doubled per retry (go-retryablehttp's RetryWaitMin: 1s).</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Cap of a retry delay, also of a Retry-After header (go-retryablehttp's RetryWaitMax: 30s).</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Characters of the response body kept in results and failure reasons.</summary>
    public int MaxBodyLength { get; set; } = 1024;

    /// <summary>Global event webhook (Flagger's <c>-event-webhook</c>); called only for canaries without event hooks.</summary>
    public Uri? EventWebhookUrl { get; set; }
}
