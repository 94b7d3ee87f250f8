using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Canary.Sandbox.Traffic.Routing;

/// <summary>Lenient reads of routing-object fields: a malformed field reads as absent.</summary>
internal static class JsonRead
{
    public static string? Str(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    /// <summary>A number whatever CLR type the node holds (parsed JSON, int, long, double), or a numeric string.</summary>
    public static double? Number(JsonNode? node)
    {
        if (node is not JsonValue v)
        {
            return null;
        }

        var text = v.GetValueKind() switch
        {
            JsonValueKind.Number => v.ToJsonString(),
            JsonValueKind.String => v.GetValue<string>(),
            _ => null,
        };
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null;
    }

    public static IEnumerable<JsonObject> Objects(JsonNode? node) => (node as JsonArray)?.OfType<JsonObject>() ?? [];
}
