using System.Text.Json.Nodes;

namespace Canary.Sandbox.ApiServer.Selectors;

/// <summary>A parsed field selector on metadata.name and metadata.namespace (=, ==, !=), the fields every resource supports.</summary>
public sealed class FieldSelector
{
    private readonly IReadOnlyList<(string Field, bool Equal, string Value)> terms;

    private FieldSelector(IReadOnlyList<(string, bool, string)> terms) => this.terms = terms;

    /// <summary>Matches everything.</summary>
    public static FieldSelector Everything { get; } = new([]);

    public bool IsEmpty => terms.Count == 0;

    /// <summary>Parses the fieldSelector query syntax; other fields are a 400, as on a real server.</summary>
    public static FieldSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        var result = new List<(string, bool, string)>();
        foreach (var raw in text.Split(','))
        {
            var part = raw.Trim();
            var neq = part.IndexOf("!=", StringComparison.Ordinal);
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            (string field, bool equal, string value) term = neq > 0
                ? (part[..neq], false, part[(neq + 2)..])
                : eq > 0
                    ? (part[..eq], true, part[(part[(eq + 1)..].StartsWith('=') ? eq + 2 : eq + 1)..])
                    : throw ApiException.BadRequest($"invalid field selector: \"{text}\"");
            term.field = term.field.Trim();
            if (term.field is not ("metadata.name" or "metadata.namespace"))
            {
                throw ApiException.BadRequest($"field label not supported: {term.field}");
            }

            result.Add((term.field, term.equal, term.value.Trim()));
        }

        return new FieldSelector(result);
    }

    /// <summary>The exact name this selector pins, if it has a metadata.name= term.</summary>
    public string? RequiredName => terms.FirstOrDefault(t => t.Field == "metadata.name" && t.Equal).Value;

    public bool Matches(JsonObject metadata)
    {
        foreach (var (field, equal, value) in terms)
        {
            var actual = (field == "metadata.name" ? metadata["name"] : metadata["namespace"])?.GetValue<string>() ?? string.Empty;
            if ((actual == value) != equal)
            {
                return false;
            }
        }

        return true;
    }
}
