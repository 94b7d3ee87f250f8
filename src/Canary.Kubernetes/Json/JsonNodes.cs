using System.Text.Json;
using System.Text.Json.Nodes;
using Canary.Api.Serialization;
using k8s;

namespace Canary.Kubernetes.Json;

/// <summary>Conversions between typed objects and <see cref="JsonNode"/> trees, and the semantic comparison used to skip no-op writes.</summary>
public static class JsonNodes
{
    /// <summary>A Canary API value (service match, CORS policy, traffic policy...) as JSON, with the Canary API's naming.</summary>
    public static JsonNode? FromApi<T>(T value) => value is null ? null : JsonSerializer.SerializeToNode(value, CanaryJson.Options);

    /// <summary>A KubernetesClient model as JSON, with the client's own serialisation rules.</summary>
    public static JsonNode? FromKube<T>(T value) => value is null ? null : JsonNode.Parse(KubernetesJson.Serialize(value));

    /// <summary>Parses a KubernetesClient model from JSON.</summary>
    public static T ToKube<T>(JsonNode node) => KubernetesJson.Deserialize<T>(node.ToJsonString());

    /// <summary>Deep, order-insensitive for object members, order-sensitive for arrays; null and missing are equal.</summary>
    public static bool SemanticEquals(JsonNode? a, JsonNode? b) => JsonNode.DeepEquals(Normalize(a), Normalize(b));

    /// <summary>Copy without null members and without empty objects/arrays, so "absent" and "empty" compare equal.</summary>
    public static JsonNode? Normalize(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                var result = new JsonObject();
                foreach (var (key, value) in obj)
                {
                    var normalized = Normalize(value);
                    if (normalized is not null)
                    {
                        result[key] = normalized;
                    }
                }

                return result.Count == 0 ? null : result;
            case JsonArray array:
                var items = new JsonArray();
                foreach (var item in array)
                {
                    items.Add(Normalize(item));
                }

                return items.Count == 0 ? null : items;
            default:
                return node?.DeepClone();
        }
    }

    /// <summary>The object at <paramref name="key"/>, created when missing.</summary>
    public static JsonObject ChildObject(JsonObject parent, string key)
    {
        if (parent[key] is JsonObject existing)
        {
            return existing;
        }

        var created = new JsonObject();
        parent[key] = created;
        return created;
    }

    /// <summary>A string-to-string map as a JSON object, keys sorted for stable output.</summary>
    public static JsonObject Map(IEnumerable<KeyValuePair<string, string>> entries)
    {
        var result = new JsonObject();
        foreach (var (key, value) in entries.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            result[key] = value;
        }

        return result;
    }

    /// <summary>Reads a string-to-string map from a JSON object (non-string values skipped).</summary>
    public static Dictionary<string, string> ReadMap(JsonNode? node)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (node is JsonObject obj)
        {
            foreach (var (key, value) in obj)
            {
                if (value is JsonValue v && v.TryGetValue<string>(out var s))
                {
                    result[key] = s;
                }
            }
        }

        return result;
    }
}
