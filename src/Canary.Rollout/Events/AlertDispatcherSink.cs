using Canary.Rollout.StateMachine;
using Canary.Webhooks.Alerts;

namespace Canary.Rollout.Events;

/// <summary>
/// <see cref="IAlertSink"/> over the Webhooks project's <see cref="AlertDispatcher"/>; a delivery that fails (bad provider,
/// missing Secret, refused by the receiver) becomes a Warning Event on the Canary when <paramref name="events"/> is given.
/// </summary>
public sealed class AlertDispatcherSink(AlertDispatcher dispatcher, IAlertProviderSource providers, string? clusterName = null, IEventRecorder? events = null) : IAlertSink
{
    /// <inheritdoc />
    public async Task SendAsync(CanaryResource canary, RolloutAlert alert, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var alertEvent = new AlertEvent(alert.Message, alert.Severity) { Fields = AlertFields.For(canary, clusterName, alert.IncludeFields) };
        var result = await dispatcher.DispatchAsync(canary, alertEvent, providers, cancellationToken).ConfigureAwait(false);
        if (events is null)
        {
            return;
        }

        foreach (var failure in result.Failures)
        {
            var provider = failure.Provider is null ? string.Empty : $" via {failure.Provider}{(failure.ProviderType is null ? string.Empty : $" ({failure.ProviderType})")}";
            await events.RecordAsync(
                canary,
                new RolloutEvent(EventSeverity.Warning, $"Alert {failure.AlertName}{provider} failed: {failure.Error}", canary.Status?.Phase ?? Api.V1Beta1.CanaryPhase.None),
                cancellationToken).ConfigureAwait(false);
        }
    }
}
