using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Canary.Api.Serialization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Canary.Cli.Output;

/// <summary>Prints a value as indented JSON or as YAML (through the same JSON model, so both carry the same fields).</summary>
public static class StructuredOutput
{
    // Printed for people and scripts, never embedded in HTML: no need to escape quotes, apostrophes or arrows.
    private static readonly JsonSerializerOptions Indented = new(CanaryJson.Options)
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Writes <paramref name="value"/> in <paramref name="format"/> (Json or Yaml) to <paramref name="writer"/>.</summary>
    public static void Write<T>(TextWriter writer, T value, OutputFormat format)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var node = JsonSerializer.SerializeToNode(value, Indented);
        if (format == OutputFormat.Yaml)
        {
            WriteYaml(writer, node);
            return;
        }

        writer.WriteLine(node?.ToJsonString(Indented) ?? "null");
    }

    /// <summary>
    /// Writes one JSON node as a YAML document (no document markers) for people to read or keep: strings that would read
    /// back as something else are quoted, multi-line strings such as queries are literal blocks (<c>|</c>).
    /// </summary>
    public static void WriteYaml(TextWriter writer, JsonNode? node)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var stream = new YamlStream(new YamlDocument(ToYaml(node)));
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        stream.Save(text, assignAnchors: false);
        var yaml = text.ToString().Replace("\r\n", "\n", StringComparison.Ordinal);
        // YamlStream ends each document with "...": not wanted for a single printed object.
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
        // A literal block keeps every character of a multi-line string but trailing blanks; otherwise double quotes.
        if (text.Contains('\n', StringComparison.Ordinal) && !text.Contains('\r', StringComparison.Ordinal)
            && !text.Split('\n').Any(line => line.EndsWith(' ') || line.EndsWith('\t')))
        {
            return new YamlScalarNode(text) { Style = ScalarStyle.Literal };
        }

        // Plain unless YAML would read it back as something else; YAML 1.1 readers (kubectl's) also take yes/no/on/off.
        var ambiguous = text.Length == 0 || text is "~" or "null" or "Null" or "NULL" or "true" or "True" or "TRUE" or "false" or "False" or "FALSE"
            || text.ToUpperInvariant() is "YES" or "NO" or "ON" or "OFF" or "Y" or "N"
            || double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
            || text.StartsWith("0x", StringComparison.Ordinal) || text.StartsWith("0o", StringComparison.Ordinal)
            || text.Contains('\n', StringComparison.Ordinal);
        return new YamlScalarNode(text) { Style = ambiguous ? ScalarStyle.DoubleQuoted : ScalarStyle.Any };
    }
}
