using Canary.Rollout.StateMachine;
using Canary.Webhooks.Alerts;
using WebhookAlertSeverity = Canary.Webhooks.Alerts.AlertSeverity;

namespace Canary.Rollout.Events;

/// <summary><see cref="IAlertSink"/> over the Webhooks project's <see cref="AlertDispatcher"/>.</summary>
public sealed class AlertDispatcherSink(AlertDispatcher dispatcher, IAlertProviderSource providers, string? clusterName = null) : IAlertSink
{
    /// <inheritdoc />
    public async Task SendAsync(CanaryResource canary, RolloutAlert alert, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var severity = alert.Severity switch
        {
            StateMachine.AlertSeverity.Error => WebhookAlertSeverity.Error,
            StateMachine.AlertSeverity.Warn => WebhookAlertSeverity.Warn,
            _ => WebhookAlertSeverity.Info,
        };
        var alertEvent = new AlertEvent(alert.Message, severity) { Fields = AlertFields.For(canary, clusterName, alert.IncludeFields) };
        await dispatcher.DispatchAsync(canary, alertEvent, providers, cancellationToken).ConfigureAwait(false);
    }
}
