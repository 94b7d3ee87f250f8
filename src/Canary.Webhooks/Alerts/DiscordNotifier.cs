using Canary.Api.V1Beta1;
using Canary.Webhooks.Alerts.Payloads;

namespace Canary.Webhooks.Alerts;

/// <summary>Discord through its Slack-compatible endpoint: the Slack payload POSTed to the webhook URL + <c>/slack</c>.</summary>
public sealed class DiscordNotifier(AlertHttpSender sender) : IAlertNotifier
{
    /// <inheritdoc />
    public string ProviderType => AlertProviderTypes.Discord;

    /// <inheritdoc />
    public Task PostAsync(AlertEndpoint endpoint, AlertMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(message);
        var color = message.Severity == AlertSeverity.Error ? "danger" : "good";
        return sender.PostJsonAsync(endpoint, SlackEndpointOf(endpoint.Address), SlackPayload.Create(endpoint, message, color), cancellationToken);
    }

    /// <summary>The webhook URL with <c>/slack</c> appended to its path unless already there (query kept), as Flagger does.</summary>
    public static Uri SlackEndpointOf(Uri address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AbsolutePath.EndsWith("/slack", StringComparison.Ordinal))
        {
            return address;
        }

        var builder = new UriBuilder(address);
        builder.Path = builder.Path.TrimEnd('/') + "/slack";
        return builder.Uri;
    }
}
