using Canary.Api.Defaults;
using Canary.Api.V1Beta1;
using Microsoft.Extensions.Options;
using CanaryResource = Canary.Api.V1Beta1.Canary;

namespace Canary.Webhooks.Hooks;

/// <summary>
/// Runs the hooks of one type for a Canary, sequentially in spec order, with Flagger's semantics: checks and gates stop at the
/// first not-2xx; rollback hooks stop at the first 2xx; event hooks are all called.
/// </summary>
public sealed class WebhookRunner(IWebhookClient client, WebhookPayloadFactory payloads, IOptions<WebhookOptions> options)
{
    /// <summary>Event type of informational events in event payloads.</summary>
    public const string NormalEvent = "Normal";

    /// <summary>Event type of warnings and errors in event payloads.</summary>
    public const string WarningEvent = "Warning";

    /// <summary>Calls the <paramref name="type"/> hooks with <paramref name="phase"/> in the payload. Use <see cref="SendEventAsync"/> for event hooks.</summary>
    public async Task<WebhookRunReport> RunAsync(CanaryResource canary, WebhookType type, CanaryPhase phase, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(canary);
        if (type == WebhookType.Event)
        {
            throw new ArgumentException("Event hooks carry a message; call SendEventAsync.", nameof(type));
        }

        var calls = new List<WebhookCall>();
        foreach (var hook in HooksOf(canary, type))
        {
            var result = await client.CallAsync(hook, WebhookPayloadFactory.Create(canary, hook, phase), cancellationToken);
            var call = new WebhookCall(hook, result);
            calls.Add(call);
            if (type == WebhookType.Rollback)
            {
                // Only a 2xx means "roll back"; a refusal or an unreachable hook is "not signalling", so ask the next one.
                if (result.Passed)
                {
                    return new WebhookRunReport(type, CheckVerdict.Rollback, calls) { Decisive = call };
                }

                continue;
            }

            if (!result.Passed)
            {
                var verdict = type.IsGate() ? CheckVerdict.Wait : CheckVerdict.Failed;
                return new WebhookRunReport(type, verdict, calls) { Decisive = call };
            }
        }

        return new WebhookRunReport(type, CheckVerdict.Passed, calls);
    }

    /// <summary>
    /// Sends an event (<see cref="NormalEvent"/> or <see cref="WarningEvent"/>) to every event hook, or to the global event
    /// webhook when the Canary has none. Failures are reported, never retried beyond the hook's retries.
    /// </summary>
    public async Task<WebhookRunReport> SendEventAsync(CanaryResource canary, string message, string eventType, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(canary);
        var hooks = HooksOf(canary, WebhookType.Event).ToList();
        if (hooks.Count == 0 && options.Value.EventWebhookUrl is { } global)
        {
            hooks = [new CanaryWebhook { Name = "events", Type = WebhookTypes.Event, Url = global.AbsoluteUri }];
        }

        var calls = new List<WebhookCall>();
        foreach (var hook in hooks)
        {
            var result = await client.CallAsync(hook, payloads.CreateEvent(canary, hook, message, eventType), cancellationToken);
            calls.Add(new WebhookCall(hook, result));
        }

        var firstFailure = calls.FirstOrDefault(c => !c.Result.Passed);
        return firstFailure is null
            ? new WebhookRunReport(WebhookType.Event, CheckVerdict.Passed, calls)
            : new WebhookRunReport(WebhookType.Event, CheckVerdict.Failed, calls) { Decisive = firstFailure };
    }

    /// <summary>The hooks of <paramref name="type"/> in spec order (analysis, or the deprecated canaryAnalysis when analysis is unset).</summary>
    public static IEnumerable<CanaryWebhook> HooksOf(CanaryResource canary, WebhookType type)
    {
        ArgumentNullException.ThrowIfNull(canary);
        var analysis = canary.Spec?.EffectiveAnalysis();
        return (analysis?.Webhooks ?? []).Where(hook => hook is not null && hook.Is(type));
    }
}
