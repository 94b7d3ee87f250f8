using System.Text;
using System.Text.Json.Nodes;
using Canary.Sandbox.ApiServer.Resources;

namespace Canary.Sandbox.ApiServer.Selectors;

/// <summary>
/// A parsed field selector (=, ==, != terms joined by commas, values escaped with \ as in Go's fields package) over the
/// field labels the real server supports for the kind (see <see cref="SelectableFields"/>).
/// </summary>
public sealed class FieldSelector
{
    private readonly IReadOnlyList<Term> _terms;

    private FieldSelector(IReadOnlyList<Term> terms) => _terms = terms;

    /// <summary>Matches everything.</summary>
    public static FieldSelector Everything { get; } = new([]);

    public bool IsEmpty => _terms.Count == 0;

    /// <summary>The exact name this selector pins, if it has a metadata.name= term.</summary>
    public string? RequiredName => _terms.FirstOrDefault(t => t.Field == "metadata.name" && t.Equal)?.Value;

    /// <summary>Parses a selector on metadata.name and metadata.namespace only, the fields every kind supports.</summary>
    public static FieldSelector Parse(string? text) => Parse(text, null);

    /// <summary>Parses the fieldSelector query syntax for a kind; a field it does not support is a 400, as on a real server.</summary>
    public static FieldSelector Parse(string? text, ResourceType? type)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        var result = new List<Term>();
        foreach (var raw in SplitTerms(text))
        {
            var part = raw.Trim();
            if (part.Length == 0)
            {
                continue;
            }

            var (field, equal, value) = SplitTerm(part) ?? throw ApiException.BadRequest($"invalid selector: '{text}'; can't understand '{part}'");
            field = field.Trim();
            result.Add(new Term(field, equal, Unescape(value.Trim()), SelectableFields.Resolve(type, field)));
        }

        return new FieldSelector(result);
    }

    /// <summary>Whether a whole object (not only its metadata) satisfies every term.</summary>
    public bool Matches(JsonObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        foreach (var term in _terms)
        {
            if ((term.Read(obj) == term.Value) != term.Equal)
            {
                return false;
            }
        }

        return true;
    }

    // Commas split terms unless escaped (\,), as Go's fields.splitTerms.
    private static List<string> SplitTerms(string text)
    {
        var parts = new List<string>();
        var start = 0;
        var escaped = false;
        for (var i = 0; i < text.Length; i++)
        {
            if (escaped)
            {
                escaped = false;
            }
            else if (text[i] == '\\')
            {
                escaped = true;
            }
            else if (text[i] == ',')
            {
                parts.Add(text[start..i]);
                start = i + 1;
            }
        }

        parts.Add(text[start..]);
        return parts;
    }

    // The first operator wins, trying != before == before =, as Go's fields.splitTerm.
    private static (string Field, bool Equal, string Value)? SplitTerm(string term)
    {
        for (var i = 0; i < term.Length; i++)
        {
            if (string.CompareOrdinal(term, i, "!=", 0, 2) == 0)
            {
                return (term[..i], false, term[(i + 2)..]);
            }

            if (string.CompareOrdinal(term, i, "==", 0, 2) == 0)
            {
                return (term[..i], true, term[(i + 2)..]);
            }

            if (term[i] == '=')
            {
                return (term[..i], true, term[(i + 1)..]);
            }
        }

        return null;
    }

    // Values may escape \ , and = with a backslash; unescaped , or = and other escapes are errors (Go's fields.UnescapeValue).
    private static string Unescape(string value)
    {
        if (value.AsSpan().IndexOfAny('\\', ',', '=') < 0)
        {
            return value;
        }

        var result = new StringBuilder(value.Length);
        var escaped = false;
        foreach (var c in value)
        {
            if (escaped)
            {
                if (c is not ('\\' or ',' or '='))
                {
                    throw ApiException.BadRequest($"invalid field selector: invalid escape sequence: \\{c}");
                }

                result.Append(c);
                escaped = false;
            }
            else if (c == '\\')
            {
                escaped = true;
            }
            else if (c is ',' or '=')
            {
                throw ApiException.BadRequest($"invalid field selector: unescaped character in value: {c}");
            }
            else
            {
                result.Append(c);
            }
        }

        return escaped ? throw ApiException.BadRequest("invalid field selector: invalid escape sequence: \\") : result.ToString();
    }

    private sealed record Term(string Field, bool Equal, string Value, Func<JsonObject, string> Read);
}
