using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Canary.Cli.Output;

/// <summary>
/// Writes Kubernetes manifests as YAML for people to keep: as <see cref="StructuredOutput.WriteYaml"/> (strings that would
/// read back as something else are quoted), but multi-line strings such as queries as literal blocks (<c>|</c>).
/// </summary>
internal static class OfflineYaml
{
    /// <summary>Writes <paramref name="node"/> as one YAML document, without document markers.</summary>
    public static void Write(TextWriter writer, JsonNode? node)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var stream = new YamlStream(new YamlDocument(ToYaml(node)));
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        stream.Save(text, assignAnchors: false);
        var yaml = text.ToString().Replace("\r\n", "\n", StringComparison.Ordinal);
        yaml = yaml.EndsWith("...\n", StringComparison.Ordinal) ? yaml[..^4] : yaml;
        writer.Write(yaml);
    }

    private static YamlNode ToYaml(JsonNode? node) => node switch
    {
        JsonObject map => new YamlMappingNode(map.Select(p => new KeyValuePair<YamlNode, YamlNode>(Scalar(p.Key), ToYaml(p.Value)))),
        JsonArray list => new YamlSequenceNode(list.Select(ToYaml)),
        JsonValue value when value.GetValueKind() == JsonValueKind.String => Scalar(value.GetValue<string>()),
        null => new YamlScalarNode("null") { Style = ScalarStyle.Plain },
        _ => new YamlScalarNode(node.ToJsonString()) { Style = ScalarStyle.Plain },
    };

    private static YamlScalarNode Scalar(string text)
    {
        // A literal block keeps every character of a multi-line string but trailing spaces; the emitter falls back to
        // double quotes when a block cannot hold it.
        if (text.Contains('\n', StringComparison.Ordinal) && !text.Split('\n').Any(line => line.EndsWith(' ') || line.EndsWith('\t')) && !text.Contains('\r', StringComparison.Ordinal))
        {
            return new YamlScalarNode(text) { Style = ScalarStyle.Literal };
        }

        // YAML 1.1 readers (kubectl's) also take yes/no/on/off/y/n for booleans.
        var ambiguous = text.Length == 0 || text is "~" or "null" or "Null" or "NULL" or "true" or "True" or "TRUE" or "false" or "False" or "FALSE"
            || text.ToUpperInvariant() is "YES" or "NO" or "ON" or "OFF" or "Y" or "N"
            || double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
            || text.StartsWith("0x", StringComparison.Ordinal) || text.StartsWith("0o", StringComparison.Ordinal)
            || text.Contains('\n', StringComparison.Ordinal);
        return new YamlScalarNode(text) { Style = ambiguous ? ScalarStyle.DoubleQuoted : ScalarStyle.Any };
    }
}
