using Canary.Api.V1Beta1;

namespace Canary.Webhooks.Hooks;

/// <summary>POSTs a payload to one webhook, honouring its timeout, retries and disableTLS; never throws for HTTP failures.</summary>
public interface IWebhookClient
{
    /// <summary>Calls <paramref name="hook"/>; only cancellation of <paramref name="cancellationToken"/> throws.</summary>
    Task<WebhookResult> CallAsync(CanaryWebhook hook, WebhookPayload payload, CancellationToken cancellationToken);
}
