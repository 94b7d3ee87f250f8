using Canary.Api.V1Beta1;
using Canary.Webhooks.Alerts.Payloads;

namespace Canary.Webhooks.Alerts;

/// <summary>Microsoft Teams incoming webhook: a MessageCard (theme 0076D7, FF0000 for errors) with the fields as facts.</summary>
public sealed class MsTeamsNotifier(AlertHttpSender sender) : IAlertNotifier
{
    /// <inheritdoc />
    public string ProviderType => AlertProviderTypes.MsTeams;

    /// <inheritdoc />
    public Task PostAsync(AlertEndpoint endpoint, AlertMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(message);
        var payload = new MessageCardPayload(
            "MessageCard",
            "http://schema.org/extensions",
            message.Severity == AlertSeverity.Error ? "FF0000" : "0076D7",
            message.Subject,
            [new MessageCardSection(message.Text, message.Subject, [.. message.Fields.Select(f => new MessageCardFact(f.Name, f.Value))])]);
        return sender.PostJsonAsync(endpoint, endpoint.Address, payload, cancellationToken);
    }
}
