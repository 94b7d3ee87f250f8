using System.Text.Json.Serialization;

namespace Canary.Webhooks.Alerts.Payloads;

// Office 365 connector MessageCard, as Flagger's MSTeamsPayload.
internal sealed record MessageCardPayload(
    [property: JsonPropertyName("@type")] string Type,
    [property: JsonPropertyName("@context")] string Context,
    [property: JsonPropertyName("themeColor")] string ThemeColor,
    [property: JsonPropertyName("summary")] string Summary,
    [property: JsonPropertyName("sections")] IReadOnlyList<MessageCardSection> Sections);

internal sealed record MessageCardSection(
    [property: JsonPropertyName("activityTitle")] string ActivityTitle,
    [property: JsonPropertyName("activitySubtitle")] string ActivitySubtitle,
    [property: JsonPropertyName("facts")] IReadOnlyList<MessageCardFact> Facts);

internal sealed record MessageCardFact(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("value")] string Value);
