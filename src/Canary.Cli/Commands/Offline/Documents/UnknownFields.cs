using System.Text.Json.Nodes;

namespace Canary.Cli.Commands.Offline.Documents;

/// <summary>A member of a document that the API types do not know.</summary>
/// <param name="Path">Its path, as the validator names fields (<c>spec.analysis.webhooks[0].name</c>).</param>
/// <param name="Parent">The object holding it.</param>
/// <param name="Key">Its name in <paramref name="Parent"/>.</param>
internal sealed record UnknownField(string Path, JsonObject Parent, string Key)
{
    /// <summary>Removes it from its document.</summary>
    public void Remove() => Parent.Remove(Key);
}

/// <summary>Fields of a document that the API types do not know: present in the input, gone after a round trip through them.</summary>
internal static class UnknownFields
{
    /// <summary>Every member of <paramref name="input"/> missing from <paramref name="roundTrip"/>; explicit nulls are not members.</summary>
    public static IReadOnlyList<UnknownField> Find(JsonNode? input, JsonNode? roundTrip)
    {
        var found = new List<UnknownField>();
        Walk(input, roundTrip, string.Empty, found);
        return found;
    }

    private static void Walk(JsonNode? input, JsonNode? roundTrip, string path, List<UnknownField> found)
    {
        switch (input)
        {
            case JsonObject map:
                var known = roundTrip as JsonObject;
                foreach (var (key, value) in map)
                {
                    var at = path.Length == 0 ? key : $"{path}.{key}";
                    if (value is null)
                    {
                        continue;
                    }

                    if (known is null || !known.TryGetPropertyValue(key, out var back))
                    {
                        found.Add(new UnknownField(at, map, key));
                        continue;
                    }

                    Walk(value, back, at, found);
                }

                break;
            case JsonArray list when roundTrip is JsonArray back:
                for (var i = 0; i < list.Count && i < back.Count; i++)
                {
                    Walk(list[i], back[i], $"{path}[{i}]", found);
                }

                break;
        }
    }
}
