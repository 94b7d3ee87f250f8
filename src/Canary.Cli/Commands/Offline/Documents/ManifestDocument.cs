using System.Text.Json.Nodes;

namespace Canary.Cli.Commands.Offline.Documents;

/// <summary>One document of a YAML stream, as JSON and as the text it was written in.</summary>
/// <param name="Source">The file it came from (as given on the command line, or <c>-</c> for stdin).</param>
/// <param name="Index">1-based position of the document in its file.</param>
/// <param name="Line">1-based line where the document starts.</param>
/// <param name="Node">The document as JSON (null for an empty document).</param>
/// <param name="Text">The document's own text (comments included, without its <c>---</c> marker).</param>
internal sealed record ManifestDocument(string Source, int Index, int Line, JsonNode? Node, string Text)
{
    /// <summary><c>apiVersion</c>, when the document is a mapping with a string there.</summary>
    public string? ApiVersion => StringAt("apiVersion");

    /// <summary><c>kind</c>, when the document is a mapping with a string there.</summary>
    public string? Kind => StringAt("kind");

    /// <summary><c>metadata.name</c>, when set.</summary>
    public string? Name => Node is JsonObject { } o && o["metadata"] is JsonObject meta && meta["name"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private string? StringAt(string key) =>
        Node is JsonObject o && o[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}

/// <summary>Why a YAML stream could not be read, and where.</summary>
/// <param name="Document">1-based document the error is in.</param>
/// <param name="Line">1-based line.</param>
/// <param name="Column">1-based column.</param>
/// <param name="Message">YamlDotNet's message.</param>
internal sealed record ManifestError(int Document, long Line, long Column, string Message)
{
    /// <summary><c>line L, column C: message</c>.</summary>
    public string Located => $"line {Line}, column {Column}: {Message}";
}

/// <summary>The documents of one file read before any error, and the error that stopped the reading (null when none).</summary>
internal sealed record ManifestStream(string Source, IReadOnlyList<ManifestDocument> Documents, ManifestError? Error);
