using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Canary.Api.Serialization;

/// <summary>
/// Reads Kubernetes YAML manifests as JSON (YAML 1.2 core schema for untagged plain scalars), then binds them with
/// <see cref="CanaryJson.Options"/>, so YAML and JSON inputs go through the same System.Text.Json model.
/// </summary>
public static partial class CanaryYaml
{
    /// <summary>Deserialises the first YAML document into <typeparamref name="T"/>.</summary>
    public static T Deserialize<T>(string yaml)
    {
        var documents = ToJsonNodes(yaml);
        var first = documents.Count > 0 ? documents[0] : null;
        return (first ?? throw new JsonException("The YAML document is empty.")).Deserialize<T>(CanaryJson.Options)
            ?? throw new JsonException($"The YAML document is not a valid {typeof(T).Name}.");
    }

    /// <summary>Converts every document of a YAML stream to a JSON node (null for an empty document).</summary>
    public static IReadOnlyList<JsonNode?> ToJsonNodes(string yaml)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var stream = new YamlStream();
        using (var reader = new StringReader(yaml))
        {
            stream.Load(reader);
        }

        return [.. stream.Documents.Select(d => Convert(d.RootNode))];
    }

    private static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(p =>
            KeyValuePair.Create(((YamlScalarNode)p.Key).Value ?? string.Empty, Convert(p.Value)))),
        YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(Convert)]),
        YamlScalarNode scalar => ConvertScalar(scalar),
        _ => throw new JsonException($"Unsupported YAML node {node.NodeType} at {node.Start}."),
    };

    private static JsonValue? ConvertScalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? string.Empty;
        var tag = scalar.Tag.IsEmpty ? null : scalar.Tag.Value;
        if (tag == "tag:yaml.org,2002:str" || (tag is null && scalar.Style != ScalarStyle.Plain))
        {
            return JsonValue.Create(text);
        }

        if (text is "" or "~" or "null" or "Null" or "NULL")
        {
            return null;
        }

        if (text is "true" or "True" or "TRUE" or "false" or "False" or "FALSE")
        {
            return JsonValue.Create(text[0] is 't' or 'T');
        }

        if (Integer().IsMatch(text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return JsonValue.Create(integer);
        }

        if (Float().IsMatch(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return JsonValue.Create(number);
        }

        return JsonValue.Create(text);
    }

    [GeneratedRegex(@"^[-+]?[0-9]+$")]
    private static partial Regex Integer();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex Float();
}
