using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Canary.Api.Serialization;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Canary.Cli.Commands.Offline.Documents;

/// <summary>Reads YAML streams (files, stdin, folders of files) into documents, through the controller's YAML reader.</summary>
internal static class ManifestReader
{
    /// <summary>The name standing for stdin.</summary>
    public const string Stdin = "-";

    /// <summary>Reads <paramref name="path"/> (or stdin for <c>-</c>).</summary>
    public static async Task<ManifestStream> ReadAsync(string path, TextReader stdin, CancellationToken cancellationToken)
    {
        var text = path == Stdin
            ? await stdin.ReadToEndAsync(cancellationToken).ConfigureAwait(false)
            : await File.ReadAllTextAsync(path, Encoding.UTF8, cancellationToken).ConfigureAwait(false);
        return Parse(path, text);
    }

    /// <summary>
    /// Every <c>*.yaml</c> and <c>*.yml</c> file under <paramref name="directory"/>, recursively, in ordinal order of their
    /// paths (as given: relative when the folder was).
    /// </summary>
    public static IReadOnlyList<string> FilesUnder(string directory) =>
        [.. Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)];

    /// <summary>Splits <paramref name="text"/> into its documents; a syntax error stops the reading and is returned with its place.</summary>
    public static ManifestStream Parse(string source, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var spans = new List<(string Text, int Line)>();
        try
        {
            Split(text, spans);
        }
        catch (YamlException e)
        {
            // The documents before the broken one are still read (each alone), so their problems are reported too.
            return new ManifestStream(source, ReadEach(source, spans), Error(spans.Count + 1, e));
        }

        IReadOnlyList<JsonNode?> nodes;
        try
        {
            nodes = CanaryYaml.ToJsonNodes(text);
        }
        catch (YamlException e)
        {
            var document = Math.Max(1, spans.Count(s => s.Line <= e.Start.Line));
            return new ManifestStream(source, ReadEach(source, spans.Take(document - 1).ToList()), Error(document, e));
        }
        catch (Exception e) when (e is JsonException or InvalidCastException)
        {
            // CanaryYaml reads mapping keys as scalars only (Kubernetes objects have string keys).
            return new ManifestStream(source, [], new ManifestError(1, 1, 1, $"not a Kubernetes manifest: {e.Message}"));
        }

        var documents = new List<ManifestDocument>();
        for (var i = 0; i < nodes.Count; i++)
        {
            var (docText, line) = i < spans.Count ? spans[i] : (string.Empty, 1);
            documents.Add(new ManifestDocument(source, i + 1, line, nodes[i], docText));
        }

        return new ManifestStream(source, documents, null);
    }

    // Each complete document read on its own (its text holds exactly one document).
    private static List<ManifestDocument> ReadEach(string source, List<(string Text, int Line)> spans)
    {
        var documents = new List<ManifestDocument>();
        for (var i = 0; i < spans.Count; i++)
        {
            try
            {
                var node = CanaryYaml.ToJsonNodes(spans[i].Text) is [var only] ? only : null;
                documents.Add(new ManifestDocument(source, i + 1, spans[i].Line, node, spans[i].Text));
            }
            catch (Exception e) when (e is YamlException or JsonException or InvalidCastException)
            {
                break;
            }
        }

        return documents;
    }

    private static ManifestError Error(int document, YamlException e)
    {
        // YamlDotNet prefixes some messages with the marks; the place is printed separately.
        var message = e.Message;
        var cut = message.IndexOf("): ", StringComparison.Ordinal);
        if (message.StartsWith("(Line:", StringComparison.Ordinal) && cut > 0)
        {
            message = message[(cut + 3)..];
        }

        return new ManifestError(document, e.Start.Line, e.Start.Column, message);
    }

    // Each document's own text: from the end of the previous document to its end, without its "---" marker, so comments
    // written above a document stay with it.
    private static void Split(string text, List<(string Text, int Line)> spans)
    {
        var parser = new Parser(new StringReader(text));
        var previousEnd = 0;
        var prefix = string.Empty;
        var bodyStart = 0;
        var line = 1;
        while (parser.MoveNext())
        {
            switch (parser.Current)
            {
                case DocumentStart start:
                    var startIndex = (int)start.Start.Index;
                    prefix = start.IsImplicit ? string.Empty : Slice(text, previousEnd, startIndex);
                    bodyStart = start.IsImplicit ? previousEnd : (int)start.End.Index;
                    line = (int)start.Start.Line;
                    break;
                case DocumentEnd end:
                    var endIndex = (int)end.Start.Index;
                    var body = prefix + Slice(text, bodyStart, endIndex);
                    spans.Add((Tidy(body), line));
                    previousEnd = Math.Max(endIndex, (int)end.End.Index);
                    break;
            }
        }
    }

    private static string Slice(string text, int start, int end) => start < end && end <= text.Length ? text[start..end] : string.Empty;

    // Drops a leading "..." end marker of the previous document and blank lines around; ends with one newline.
    private static string Tidy(string body)
    {
        var lines = body.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').ToList();
        if (lines.Count > 0 && lines[0].Trim() == "...")
        {
            lines.RemoveAt(0);
        }

        while (lines.Count > 0 && string.IsNullOrWhiteSpace(lines[0]))
        {
            lines.RemoveAt(0);
        }

        while (lines.Count > 0 && string.IsNullOrWhiteSpace(lines[^1]))
        {
            lines.RemoveAt(lines.Count - 1);
        }

        return lines.Count == 0 ? string.Empty : string.Join('\n', lines) + "\n";
    }
}
