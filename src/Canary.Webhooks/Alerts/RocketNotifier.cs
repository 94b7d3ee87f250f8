using Canary.Api.V1Beta1;
using Canary.Webhooks.Alerts.Payloads;

namespace Canary.Webhooks.Alerts;

/// <summary>Rocket.Chat incoming webhook: the Slack payload with Rocket's hex colours (#0076D7, #FF0000 for errors).</summary>
public sealed class RocketNotifier(AlertHttpSender sender) : IAlertNotifier
{
    /// <inheritdoc />
    public string ProviderType => AlertProviderTypes.Rocket;

    /// <inheritdoc />
    public Task PostAsync(AlertEndpoint endpoint, AlertMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(message);
        var color = message.Severity == AlertSeverity.Error ? "#FF0000" : "#0076D7";
        return sender.PostJsonAsync(endpoint, endpoint.Address, SlackPayload.Create(endpoint, message, color), cancellationToken);
    }
}
