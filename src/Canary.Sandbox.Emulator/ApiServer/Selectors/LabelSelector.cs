using System.Text.Json.Nodes;

namespace Canary.Sandbox.ApiServer.Selectors;

/// <summary>A parsed label selector: comma-separated =, ==, !=, in, notin, exists and !exists requirements.</summary>
public sealed class LabelSelector
{
    private readonly IReadOnlyList<Requirement> _requirements;

    private LabelSelector(IReadOnlyList<Requirement> requirements) => _requirements = requirements;

    /// <summary>Matches everything.</summary>
    public static LabelSelector Everything { get; } = new([]);

    public bool IsEmpty => _requirements.Count == 0;

    /// <summary>Parses the labelSelector query syntax; a malformed selector is a 400 BadRequest.</summary>
    public static LabelSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        var result = new List<Requirement>();
        foreach (var part in SplitTopLevel(text))
        {
            result.Add(ParseRequirement(part.Trim(), text));
        }

        return new LabelSelector(result);
    }

    /// <summary>Builds a selector from a metav1.LabelSelector object (matchLabels and matchExpressions).</summary>
    public static LabelSelector FromObject(JsonObject? selector)
    {
        if (selector is null)
        {
            return Everything;
        }

        var result = new List<Requirement>();
        if (selector["matchLabels"] is JsonObject labels)
        {
            foreach (var (k, v) in labels)
            {
                result.Add(new Requirement(k, Op.Equals, [v?.GetValue<string>() ?? string.Empty]));
            }
        }

        if (selector["matchExpressions"] is JsonArray exprs)
        {
            foreach (var e in exprs.OfType<JsonObject>())
            {
                var key = e["key"]?.GetValue<string>() ?? string.Empty;
                var values = (e["values"] as JsonArray)?.Select(v => v?.GetValue<string>() ?? string.Empty).ToArray() ?? [];
                var op = (e["operator"]?.GetValue<string>()) switch
                {
                    "In" => Op.In,
                    "NotIn" => Op.NotIn,
                    "Exists" => Op.Exists,
                    "DoesNotExist" => Op.DoesNotExist,
                    var other => throw ApiException.BadRequest($"unknown label selector operator \"{other}\""),
                };
                result.Add(new Requirement(key, op, values));
            }
        }

        return new LabelSelector(result);
    }

    /// <summary>True when the object's metadata.labels satisfy every requirement.</summary>
    public bool Matches(JsonObject? labels)
    {
        foreach (var r in _requirements)
        {
            string? value = null;
            var has = labels is not null && labels.TryGetPropertyValue(r.Key, out var node) && (value = node?.GetValue<string>()) is not null;
            var ok = r.Operator switch
            {
                Op.Equals => has && value == r.Values[0],
                Op.NotEquals => !has || value != r.Values[0],
                Op.In => has && r.Values.Contains(value),
                Op.NotIn => !has || !r.Values.Contains(value),
                Op.Exists => has,
                Op.DoesNotExist => !has,
                _ => false,
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The selector in query syntax ("app=web,tier in (a,b)").</summary>
    public override string ToString() => string.Join(",", _requirements.Select(r => r.Operator switch
    {
        Op.Equals => $"{r.Key}={r.Values[0]}",
        Op.NotEquals => $"{r.Key}!={r.Values[0]}",
        Op.In => $"{r.Key} in ({string.Join(",", r.Values)})",
        Op.NotIn => $"{r.Key} notin ({string.Join(",", r.Values)})",
        Op.Exists => r.Key,
        _ => "!" + r.Key,
    }));

    private static Requirement ParseRequirement(string part, string whole)
    {
        if (part.Length == 0)
        {
            throw Bad(whole);
        }

        if (part[0] == '!')
        {
            return new Requirement(CheckKey(part[1..].Trim(), whole), Op.DoesNotExist, []);
        }

        var neq = part.IndexOf("!=", StringComparison.Ordinal);
        if (neq > 0)
        {
            return new Requirement(CheckKey(part[..neq].Trim(), whole), Op.NotEquals, [CheckValue(part[(neq + 2)..].Trim(), whole)]);
        }

        var eq = part.IndexOf('=', StringComparison.Ordinal);
        if (eq > 0)
        {
            var rest = part[(eq + 1)..];
            if (rest.StartsWith('='))
            {
                rest = rest[1..];
            }

            return new Requirement(CheckKey(part[..eq].Trim(), whole), Op.Equals, [CheckValue(rest.Trim(), whole)]);
        }

        var paren = part.IndexOf('(', StringComparison.Ordinal);
        if (paren > 0 && part.EndsWith(')'))
        {
            var head = part[..paren].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (head.Length != 2)
            {
                throw Bad(whole);
            }

            var values = part[(paren + 1)..^1].Split(',').Select(v => CheckValue(v.Trim(), whole)).ToArray();
            var op = head[1] switch
            {
                "in" => Op.In,
                "notin" => Op.NotIn,
                _ => throw Bad(whole),
            };
            return new Requirement(CheckKey(head[0], whole), op, values);
        }

        return new Requirement(CheckKey(part, whole), Op.Exists, []);
    }

    private static IEnumerable<string> SplitTopLevel(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '(':
                    depth++;
                    break;
                case ')':
                    depth--;
                    break;
                case ',' when depth == 0:
                    yield return text[start..i];
                    start = i + 1;
                    break;
            }
        }

        yield return text[start..];
    }

    private static string CheckKey(string key, string whole) =>
        key.Length == 0 || key.Any(c => char.IsWhiteSpace(c) || c is '(' or ')' or ',' or '=' or '!') ? throw Bad(whole) : key;

    private static string CheckValue(string value, string whole) =>
        value.Any(c => char.IsWhiteSpace(c) || c is '(' or ')' or '=' or '!') ? throw Bad(whole) : value;

    private static ApiException Bad(string whole) => ApiException.BadRequest($"unable to parse requirement: invalid label selector \"{whole}\"");

    private enum Op
    {
        Equals,
        NotEquals,
        In,
        NotIn,
        Exists,
        DoesNotExist,
    }

    private sealed record Requirement(string Key, Op Operator, string[] Values);
}
