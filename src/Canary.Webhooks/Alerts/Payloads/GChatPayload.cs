using System.Text.Json.Serialization;

namespace Canary.Webhooks.Alerts.Payloads;

// Google Chat card message, as Flagger's GChatPayload.
internal sealed record GChatPayload([property: JsonPropertyName("cards")] IReadOnlyList<GChatCard> Cards);

internal sealed record GChatCard(
    [property: JsonPropertyName("header")] GChatHeader Header,
    [property: JsonPropertyName("sections")] IReadOnlyList<GChatSection> Sections);

internal sealed record GChatHeader(
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("subtitle")] string Subtitle,
    [property: JsonPropertyName("imageUrl")]
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    string? ImageUrl);

internal sealed record GChatSection([property: JsonPropertyName("widgets")] IReadOnlyList<GChatWidget> Widgets);

internal sealed record GChatWidget([property: JsonPropertyName("textParagraph")] GChatText TextParagraph);

internal sealed record GChatText([property: JsonPropertyName("text")] string Text);
