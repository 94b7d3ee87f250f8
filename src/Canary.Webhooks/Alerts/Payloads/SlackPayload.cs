using System.Text.Json.Serialization;

namespace Canary.Webhooks.Alerts.Payloads;

// Slack incoming-webhook message, field for field Flagger's SlackPayload (also used for Discord's /slack endpoint and Rocket.Chat).
internal sealed record SlackPayload(
    [property: JsonPropertyName("channel")] string Channel,
    [property: JsonPropertyName("username")] string Username,
    [property: JsonPropertyName("icon_url")] string IconUrl,
    [property: JsonPropertyName("icon_emoji")] string IconEmoji,
    [property: JsonPropertyName("attachments")] IReadOnlyList<SlackAttachment> Attachments)
{
    // Builds the one-attachment message all Slack-compatible notifiers send; only the colours differ.
    public static SlackPayload Create(AlertEndpoint endpoint, AlertMessage message, string color) => new(
        endpoint.Channel,
        endpoint.Username,
        IconUrl: string.Empty,
        IconEmoji: ":rocket:",
        [new SlackAttachment(color, message.Subject, message.Text, ["text"], [.. message.Fields.Select(f => new SlackField(f.Name, f.Value, false))])]);
}

internal sealed record SlackAttachment(
    [property: JsonPropertyName("color")] string Color,
    [property: JsonPropertyName("author_name")] string AuthorName,
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("mrkdwn_in")] IReadOnlyList<string> MarkdownIn,
    [property: JsonPropertyName("fields")] IReadOnlyList<SlackField> Fields);

internal sealed record SlackField(
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("value")] string Value,
    [property: JsonPropertyName("short")] bool Short);
