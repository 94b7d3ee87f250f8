using System.Globalization;
using System.Text.Json.Nodes;

namespace Canary.Sandbox.ApiServer.Http;

/// <summary>
/// The JSONPath subset CRD printer columns use: ".a.b", "[n]" and "[?(@.field==\"value\")]" filters.
/// Returns the first match, or null.
/// </summary>
internal static class SimpleJsonPath
{
    public static JsonNode? Evaluate(JsonNode? root, string path)
    {
        var current = root;
        var i = 0;
        path = path.Trim().TrimStart('{').TrimEnd('}').TrimStart('$');
        while (i < path.Length && current is not null)
        {
            if (path[i] == '.')
            {
                var end = path.IndexOfAny(['.', '['], i + 1);
                var name = end < 0 ? path[(i + 1)..] : path[(i + 1)..end];
                current = (current as JsonObject)?[name];
                i = end < 0 ? path.Length : end;
            }
            else if (path[i] == '[')
            {
                var close = path.IndexOf(']', i);
                if (close < 0)
                {
                    return null;
                }

                var inner = path[(i + 1)..close];
                current = inner.StartsWith("?(", StringComparison.Ordinal) ? Filter(current as JsonArray, inner) : Index(current as JsonArray, inner);
                i = close + 1;
            }
            else
            {
                return null;
            }
        }

        return current;
    }

    private static JsonNode? Index(JsonArray? array, string inner) =>
        array is not null && int.TryParse(inner, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n < array.Count && n >= -array.Count
            ? array[n < 0 ? array.Count + n : n]
            : null;

    // ?(@.type=="Ready")
    private static JsonObject? Filter(JsonArray? array, string inner)
    {
        var expr = inner[2..].TrimEnd(')');
        var eq = expr.IndexOf("==", StringComparison.Ordinal);
        if (array is null || eq < 0 || !expr.StartsWith("@.", StringComparison.Ordinal))
        {
            return null;
        }

        var field = expr[2..eq].Trim();
        var value = expr[(eq + 2)..].Trim().Trim('"', '\'');
        return array.OfType<JsonObject>().FirstOrDefault(o => o[field] is JsonValue v && v.ToString() == value);
    }
}
