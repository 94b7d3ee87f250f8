using Canary.Api.V1Beta1;

namespace Canary.Webhooks.Hooks;

/// <summary>One hook called and what it answered.</summary>
public sealed record WebhookCall(CanaryWebhook Hook, WebhookResult Result)
{
    /// <summary>The hook's name, for event messages.</summary>
    public string Name => Hook.Name ?? string.Empty;

    /// <summary>True when the receiver answered 2xx.</summary>
    public bool Passed => Result.Passed;

    /// <summary>Why it failed ("" when passed).</summary>
    public string Reason => Result.Reason;

    /// <summary>A call of hook <paramref name="name"/> answered 2xx (for deciders and tests that know only the name).</summary>
    public static WebhookCall Passing(string name) => new(new CanaryWebhook { Name = name }, WebhookResult.Success(200, null, 1));

    /// <summary>A call of hook <paramref name="name"/> that failed with <paramref name="reason"/>.</summary>
    public static WebhookCall Failing(string name, string reason) =>
        new(new CanaryWebhook { Name = name }, new WebhookResult { Failure = WebhookFailure.HttpStatus, Reason = reason, Attempts = 1 });
}
