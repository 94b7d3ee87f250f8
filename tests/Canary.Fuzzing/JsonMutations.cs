using System.Globalization;
using System.Text.Json.Nodes;
using CsCheck;

namespace Canary.Fuzzing;

/// <summary>One change to a valid document: the field path as validation reports it, and the document after the change.</summary>
/// <param name="Path">Path of the changed field, e.g. <c>spec.analysis.metrics[0].interval</c>.</param>
/// <param name="Change">What was done, for the failure message.</param>
/// <param name="Document">The mutated document.</param>
public sealed record JsonMutation(string Path, string Change, JsonObject Document)
{
    public override string ToString() => $"{Change} at {Path}";
}

/// <summary>Generators of field-by-field mutations of a valid API object, and of random JSON values.</summary>
public static class JsonMutations
{
    // Values that break validators in practice: empty, negative, huge, wrong unit, wrong type, odd characters.
    private static readonly JsonNode?[] Interesting =
    [
        null, "", " ", "-1", "0", "1m", "-5m", "1x", "99999999999h", "abc", "ÄÖ☃", new string('a', 300), "http://", "::",
        "{{ .Invalid", "0.5", "NaN", -1, 0, 1, 101, 1000, int.MaxValue, long.MaxValue, -0.5, 3.5, 1e308, true, false,
    ];

    private static readonly string[] UnknownKeys = ["unknownField", "x-extra", ""];

    /// <summary>A random JSON value: an interesting scalar, or a small object or array of them.</summary>
    public static Gen<JsonNode?> Value { get; } = Gen.Frequency(
        (6, Gen.Int[0, Interesting.Length - 1].Select(i => Interesting[i]?.DeepClone())),
        (1, Gen.Int[0, Interesting.Length - 1].Array[0, 3].Select(ix => (JsonNode?)new JsonArray([.. ix.Select(i => Interesting[i]?.DeepClone())]))),
        (1, Gen.Int[0, Interesting.Length - 1].Select(i => (JsonNode?)new JsonObject { ["k"] = Interesting[i]?.DeepClone() })));

    /// <summary>Mutations of <paramref name="valid"/> under <c>spec</c>: one field replaced, removed, or an unknown field added.</summary>
    public static Gen<JsonMutation> Of(JsonObject valid)
    {
        var paths = Paths(valid["spec"], "spec").ToArray();
        return Gen.Select(Gen.Int[0, paths.Length - 1], Gen.Int[0, 9], Value, (index, kind, value) =>
        {
            var document = (JsonObject)valid.DeepClone();
            var (path, _) = paths[index];
            var node = Find(document, path);
            if (kind == 0 && node?.Parent is JsonObject owner)
            {
                owner.Remove(node.GetPropertyName());
                return new JsonMutation(path, "removed", document);
            }

            if (kind == 1 && node is JsonObject target)
            {
                var key = UnknownKeys[index % UnknownKeys.Length];
                target[key] = value;
                return new JsonMutation(path, $"added '{key}': {Show(value)}", document);
            }

            node?.ReplaceWith(value);
            return new JsonMutation(path, $"set to {Show(value)}", document);
        });
    }

    private static string Show(JsonNode? value) => value?.ToJsonString() ?? "null";

    // Every node below the root with its validation-style path (dotted properties, [i] indexes).
    private static IEnumerable<(string Path, JsonNode Node)> Paths(JsonNode? node, string path)
    {
        if (node is null)
        {
            yield break;
        }

        yield return (path, node);
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, child) in obj)
                {
                    foreach (var item in Paths(child, $"{path}.{key}"))
                    {
                        yield return item;
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    foreach (var item in Paths(array[i], string.Create(CultureInfo.InvariantCulture, $"{path}[{i}]")))
                    {
                        yield return item;
                    }
                }

                break;
        }
    }

    /// <summary>The node at a validation-style path, or null.</summary>
    public static JsonNode? Find(JsonNode root, string path)
    {
        var current = root;
        foreach (var segment in path.Split('.'))
        {
            var name = segment;
            var bracket = name.IndexOf('[', StringComparison.Ordinal);
            var indexes = bracket < 0 ? "" : name[bracket..];
            name = bracket < 0 ? name : name[..bracket];
            current = current?[name];
            foreach (var index in indexes.Split('[', StringSplitOptions.RemoveEmptyEntries))
            {
                current = current?[int.Parse(index.TrimEnd(']'), CultureInfo.InvariantCulture)];
            }
        }

        return current;
    }
}
