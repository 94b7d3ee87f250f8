using Canary.Rollout.StateMachine;
using Canary.Webhooks.Hooks;

namespace Canary.Rollout.Events;

/// <summary>Forwards rollout events to the Canary's <c>event</c> webhooks (or the global event webhook).</summary>
public sealed class EventWebhookRecorder(WebhookRunner runner) : IEventRecorder
{
    /// <inheritdoc />
    public async Task RecordAsync(CanaryResource canary, RolloutEvent rolloutEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(canary);
        ArgumentNullException.ThrowIfNull(rolloutEvent);

        // The payload's phase is the event's (the status may not be written yet in this tick).
        var view = new CanaryResource
        {
            Metadata = canary.Metadata,
            Spec = canary.Spec,
            Status = new Api.V1Beta1.CanaryStatus
            {
                Phase = rolloutEvent.Phase,
                LastAppliedSpec = canary.Status?.LastAppliedSpec,
                TrackedConfigs = canary.Status?.TrackedConfigs,
            },
        };
        var type = rolloutEvent.Severity == EventSeverity.Warning ? WebhookRunner.WarningEvent : WebhookRunner.NormalEvent;
        await runner.SendEventAsync(view, rolloutEvent.Message, type, cancellationToken).ConfigureAwait(false);
    }
}
