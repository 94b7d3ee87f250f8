using Canary.Api.V1Beta1;
using Canary.Webhooks.Alerts.Payloads;

namespace Canary.Webhooks.Alerts;

/// <summary>Slack incoming webhook: one attachment, green ("good") or red ("danger") for errors, fields below the text.</summary>
public sealed class SlackNotifier(AlertHttpSender sender) : IAlertNotifier
{
    /// <inheritdoc />
    public string ProviderType => AlertProviderTypes.Slack;

    /// <inheritdoc />
    public Task PostAsync(AlertEndpoint endpoint, AlertMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(message);
        var color = message.Severity == AlertSeverity.Error ? "danger" : "good";
        return sender.PostJsonAsync(endpoint, endpoint.Address, SlackPayload.Create(endpoint, message, color), cancellationToken);
    }
}
