using Canary.Api.V1Beta1;
using Canary.Webhooks.Alerts.Payloads;
using Microsoft.Extensions.Options;

namespace Canary.Webhooks.Alerts;

/// <summary>Google Chat incoming webhook: one card, header = product and canary, a text section for the message and one per field.</summary>
public sealed class GChatNotifier(AlertHttpSender sender, IOptions<AlertOptions> options) : IAlertNotifier
{
    /// <inheritdoc />
    public string ProviderType => AlertProviderTypes.GChat;

    /// <inheritdoc />
    public Task PostAsync(AlertEndpoint endpoint, AlertMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(message);
        List<GChatSection> sections = [Section($"<font color=#848484><strong>{message.Text}</strong></font>")];
        sections.AddRange(message.Fields.Select(f => Section($"{f.Name}<br><font color=#848484><strong>{f.Value}</strong></font>")));
        var header = new GChatHeader(options.Value.ProductName, message.Subject, options.Value.IconUrl?.AbsoluteUri);
        return sender.PostJsonAsync(endpoint, endpoint.Address, new GChatPayload([new GChatCard(header, sections)]), cancellationToken);
    }

    private static GChatSection Section(string text) => new([new GChatWidget(new GChatText(text))]);
}
