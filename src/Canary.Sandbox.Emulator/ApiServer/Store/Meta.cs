using System.Text.Json.Nodes;

namespace Canary.Sandbox.ApiServer.Store;

/// <summary>Small accessors for the metadata of JsonObject-shaped Kubernetes objects.</summary>
internal static class Meta
{
    public static JsonObject Of(JsonObject obj)
    {
        if (obj["metadata"] is JsonObject m)
        {
            return m;
        }

        var fresh = new JsonObject();
        obj["metadata"] = fresh;
        return fresh;
    }

    public static string? Str(JsonObject? o, string key) =>
        o is not null && o.TryGetPropertyValue(key, out var v) && v is JsonValue value && value.TryGetValue<string>(out var s) ? s : null;

    public static IReadOnlyList<string> Strings(JsonNode? node) =>
        node is JsonArray a ? a.Select(x => x is JsonValue v && v.TryGetValue<string>(out var s) ? s : null).OfType<string>().ToList() : [];

    /// <summary>A whole number whether the node holds an int, a long or parsed JSON; null otherwise.</summary>
    public static long? Long(JsonNode? node) => node is JsonValue v
        ? v.TryGetValue<long>(out var l) ? l : v.TryGetValue<int>(out var i) ? i : v.TryGetValue<double>(out var d) && d == Math.Floor(d) ? (long)d : null
        : null;

    /// <summary>Reads a dotted path such as ".spec.replicas".</summary>
    public static JsonNode? AtPath(JsonObject obj, string path)
    {
        JsonNode? current = obj;
        foreach (var segment in path.TrimStart('.').Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            current = (current as JsonObject)?[segment];
        }

        return current;
    }

    /// <summary>Writes a dotted path, creating intermediate objects.</summary>
    public static void SetPath(JsonObject obj, string path, JsonNode? value)
    {
        var segments = path.TrimStart('.').Split('.', StringSplitOptions.RemoveEmptyEntries);
        var current = obj;
        foreach (var segment in segments[..^1])
        {
            if (current[segment] is not JsonObject next)
            {
                next = new JsonObject();
                current[segment] = next;
            }

            current = next;
        }

        current[segments[^1]] = value;
    }
}
