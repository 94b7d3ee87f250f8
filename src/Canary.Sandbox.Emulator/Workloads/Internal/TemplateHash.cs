using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Canary.Sandbox.Workloads.Internal;

/// <summary>
/// The pod-template-hash / controller-revision-hash value: FNV-32a of the template rendered as the decimal string
/// through Kubernetes' SafeEncodeString alphabet, so it looks like the real thing ("5d8f9c7b6").
/// Properties are sorted and empty values (null, {}, []) dropped first, so the same template always hashes the same
/// whatever a client sent: Go clients add "creationTimestamp": null and "resources": {} (kubectl rollout undo does).
/// </summary>
internal static class TemplateHash
{
    private const string Alphabet = "bcdfghjklmnpqrstvwxz2456789";

    public static string Compute(JsonNode? template)
    {
        var bytes = Encoding.UTF8.GetBytes(Canonical(template)?.ToJsonString() ?? "null");
        var hash = 2166136261u;
        foreach (var b in bytes)
        {
            hash = (hash ^ b) * 16777619u;
        }

        var digits = hash.ToString(CultureInfo.InvariantCulture);
        var chars = new char[digits.Length];
        for (var i = 0; i < digits.Length; i++)
        {
            chars[i] = Alphabet[digits[i] % Alphabet.Length];
        }

        return new string(chars);
    }

    private static JsonNode? Canonical(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, Canonical(p.Value))).Where(p => !IsEmpty(p.Value))),
        JsonArray a => new JsonArray(a.Select(Canonical).ToArray()),
        JsonValue v => JsonNode.Parse(v.ToJsonString(JsonSerializerOptions.Default)),
        _ => null,
    };

    private static bool IsEmpty(JsonNode? node) => node is null || node is JsonObject { Count: 0 } || node is JsonArray { Count: 0 };
}
