using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Canary.Sandbox.Json;

/// <summary>
/// The emulator's one set of readers and writers for JsonObject-shaped Kubernetes objects (the API server, the workload
/// and traffic simulators all store and read plain JSON): lenient reads where a malformed field reads as absent.
/// </summary>
internal static class KubeJson
{
    public static string? Str(JsonNode? obj, string key) =>
        (obj as JsonObject)?[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    /// <summary>A whole number whether the node holds an int, a long or parsed JSON; the fallback otherwise.</summary>
    public static long Long(JsonNode? node, long fallback = 0) => node is JsonValue v
        ? v.TryGetValue<long>(out var l) ? l : v.TryGetValue<int>(out var i) ? i : v.TryGetValue<double>(out var d) ? (long)d : fallback
        : fallback;

    public static int Int(JsonNode? node, int fallback = 0) => (int)Long(node, fallback);

    public static JsonObject Meta(JsonObject obj) => Child(obj, "metadata");

    public static JsonObject Child(JsonObject parent, string key)
    {
        if (parent[key] is JsonObject existing)
        {
            return existing;
        }

        var fresh = new JsonObject();
        parent[key] = fresh;
        return fresh;
    }

    public static string Name(JsonObject obj) => Str(obj["metadata"], "name") ?? string.Empty;

    public static string Uid(JsonObject obj) => Str(obj["metadata"], "uid") ?? string.Empty;

    public static long Generation(JsonObject obj) => Long(obj["metadata"]?["generation"]);

    public static string ResourceVersion(JsonObject obj) => Str(obj["metadata"], "resourceVersion") ?? string.Empty;

    public static bool IsDeleting(JsonObject obj) => obj["metadata"]?["deletionTimestamp"] is not null;

    public static string? Label(JsonObject obj, string key) => Str(obj["metadata"]?["labels"], key);

    public static string? Annotation(JsonObject obj, string key) => Str(obj["metadata"]?["annotations"], key);

    /// <summary>The uid of the owner marked controller: true, if any.</summary>
    public static string? ControllerUid(JsonObject obj) => Controller(obj) is { } r ? Str(r, "uid") : null;

    /// <summary>The ownerReference marked controller: true, if any.</summary>
    public static JsonObject? Controller(JsonObject obj) =>
        (obj["metadata"]?["ownerReferences"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(r => r["controller"] is JsonValue v && v.TryGetValue<bool>(out var b) && b);

    /// <summary>An ownerReference to <paramref name="owner"/> as its controller, as the built-in controllers write it.</summary>
    public static JsonObject OwnerReference(JsonObject owner) => new()
    {
        ["apiVersion"] = Str(owner, "apiVersion"),
        ["kind"] = Str(owner, "kind"),
        ["name"] = Name(owner),
        ["uid"] = Uid(owner),
        ["controller"] = true,
        ["blockOwnerDeletion"] = true,
    };

    /// <summary>Kubernetes timestamps are RFC 3339 in UTC with whole seconds.</summary>
    public static string Timestamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static DateTimeOffset? ParseTimestamp(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t) ? t : null;

    /// <summary>Sets an integer the way Go's omitempty does: zero values are left out.</summary>
    public static void SetNonZero(JsonObject obj, string key, long value)
    {
        if (value != 0)
        {
            obj[key] = value;
        }
        else
        {
            obj.Remove(key);
        }
    }

    public static JsonObject CloneObject(JsonNode? node) => node is JsonObject o ? (JsonObject)o.DeepClone() : new JsonObject();

    public static IReadOnlyList<string> Strings(JsonNode? node) =>
        node is JsonArray a ? a.Select(x => x is JsonValue v && v.TryGetValue<string>(out var s) ? s : null).OfType<string>().ToList() : [];

    /// <summary>A whole number whether the node holds an int, a long or parsed JSON; null otherwise.</summary>
    public static long? LongOrNull(JsonNode? node) => node is JsonValue v
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

    /// <summary>A string value, or null for anything else (lenient: a malformed field reads as absent).</summary>
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

    /// <summary>The objects of an array (other items skipped), or none.</summary>
    public static IEnumerable<JsonObject> Objects(JsonNode? node) => (node as JsonArray)?.OfType<JsonObject>() ?? [];
}
