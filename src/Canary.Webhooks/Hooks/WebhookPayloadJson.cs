using System.Text.Json;
using Canary.Webhooks.Http;

namespace Canary.Webhooks.Hooks;

/// <summary>Serialises <see cref="WebhookPayload"/> the way Go's encoding/json does: declared field order, map keys sorted, compact.</summary>
public static class WebhookPayloadJson
{
    /// <summary>UTF-8 JSON of <paramref name="payload"/>; metadata keys in ordinal order, metadata omitted when empty.</summary>
    public static byte[] SerializeToUtf8Bytes(WebhookPayload payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        var normalized = payload with
        {
            Metadata = payload.Metadata is { Count: > 0 } metadata
                ? new SortedDictionary<string, string>(metadata.ToDictionary(), StringComparer.Ordinal)
                : null,
        };
        return JsonSerializer.SerializeToUtf8Bytes(normalized, GoJson.Options);
    }

    /// <summary>The JSON of <paramref name="payload"/> as a string (for logs and tests).</summary>
    public static string Serialize(WebhookPayload payload) => System.Text.Encoding.UTF8.GetString(SerializeToUtf8Bytes(payload));
}
