using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Canary.Rollout.Revisions;

/// <summary>
/// Hash of a pod template: SHA-256 of its canonical JSON (keys sorted, nulls dropped), first 8 bytes in hex. Only the pod
/// template counts, so replicas, strategy and Deployment labels never start an analysis (Flagger's rule).
/// </summary>
public static class PodTemplateHasher
{
    /// <summary>Stable hash of <paramref name="template"/>.</summary>
    public static string Compute(V1PodTemplateSpec template)
    {
        ArgumentNullException.ThrowIfNull(template);
        var node = JsonNode.Parse(KubernetesJson.Serialize(template));
        return Hash(Canonical(node));
    }

    /// <summary>First 8 bytes of SHA-256 of <paramref name="text"/>, lowercase hex.</summary>
    internal static string Hash(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 8));

    /// <summary>JSON text with object keys in ordinal order and null members and empty objects/arrays dropped.</summary>
    internal static string Canonical(JsonNode? node)
    {
        var builder = new StringBuilder();
        Write(node, builder);
        return builder.ToString();
    }

    private static void Write(JsonNode? node, StringBuilder builder)
    {
        switch (node)
        {
            case JsonObject obj:
                builder.Append('{');
                var first = true;
                foreach (var (key, value) in obj.Where(kv => !IsEmpty(kv.Value)).OrderBy(kv => kv.Key, StringComparer.Ordinal))
                {
                    if (!first)
                    {
                        builder.Append(',');
                    }

                    first = false;
                    builder.Append(JsonValue.Create(key).ToJsonString()).Append(':');
                    Write(value, builder);
                }

                builder.Append('}');
                break;
            case JsonArray array:
                builder.Append('[');
                for (var i = 0; i < array.Count; i++)
                {
                    if (i > 0)
                    {
                        builder.Append(',');
                    }

                    Write(array[i], builder);
                }

                builder.Append(']');
                break;
            case null:
                builder.Append("null");
                break;
            default:
                builder.Append(node.ToJsonString());
                break;
        }
    }

    // An omitted field, null, {} and [] mean the same to Kubernetes; hashing them alike avoids spurious new revisions
    // when a tool (or the API server's defaulting) writes one form and a cache returns another.
    private static bool IsEmpty(JsonNode? node) => node is null || node is JsonObject { Count: 0 } || node is JsonArray { Count: 0 };
}
