using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Canary.E2E.Infrastructure;

/// <summary>
/// The PromQL of a Grafana dashboard (panel targets, rows' nested panels, query variables) and the metric names it
/// reads; and the series names of a Prometheus text exposition, to check one against the other.
/// </summary>
public static partial class DashboardQueries
{
    private static readonly HashSet<string> Keywords = new(StringComparer.OrdinalIgnoreCase)
    {
        "and", "or", "unless", "bool", "offset", "by", "without", "on", "ignoring", "group_left", "group_right", "atan2", "inf", "nan",
    };

    /// <summary>One query of the dashboard: where it is (panel title or <c>$variable</c>) and its PromQL.</summary>
    public sealed record Query(string Where, string Expr);

    /// <summary>Every PromQL expression of <paramref name="dashboard"/>: panel targets' <c>expr</c> and the expression inside query variables.</summary>
    public static IReadOnlyList<Query> Of(JsonNode dashboard)
    {
        ArgumentNullException.ThrowIfNull(dashboard);
        var queries = new List<Query>();
        foreach (var panel in Panels(dashboard["panels"]?.AsArray()))
        {
            var title = panel["title"]?.GetValue<string>() ?? "(untitled)";
            foreach (var target in panel["targets"]?.AsArray() ?? [])
            {
                if (target?["expr"]?.GetValue<string>() is { Length: > 0 } expr)
                {
                    queries.Add(new Query(title, expr));
                }
            }
        }

        foreach (var variable in dashboard["templating"]?["list"]?.AsArray() ?? [])
        {
            if (variable?["type"]?.GetValue<string>() != "query")
            {
                continue;
            }

            // Older dashboards store the query as a string, newer ones as { "query": "..." }.
            var text = variable["query"] is JsonValue value ? value.GetValue<string>() : variable["query"]?["query"]?.GetValue<string>();
            if (VariableExpression(text ?? string.Empty) is { Length: > 0 } expr)
            {
                queries.Add(new Query("$" + variable["name"]?.GetValue<string>(), expr));
            }
        }

        return queries;
    }

    /// <summary>
    /// The PromQL inside a Grafana Prometheus variable query: the series selector of <c>label_values(expr, label)</c>,
    /// the expression of <c>query_result(expr)</c>, any other text as a series selector; nothing for <c>label_values(label)</c>,
    /// <c>label_names()</c>, <c>metrics(re)</c>.
    /// </summary>
    public static string? VariableExpression(string query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var q = query.Trim();
        if (VariableFunction().Match(q) is not { Success: true } call)
        {
            // Anything else is a series selector to Grafana.
            return q.Length == 0 ? null : q;
        }

        var args = call.Groups["args"].Value;
        return call.Groups["fn"].Value switch
        {
            "query_result" => args,
            // The label is the last argument; with a single argument there is no series selector.
            "label_values" => WithoutStrings(args).LastIndexOf(',') is var comma and >= 0 ? args[..comma].Trim() : null,
            _ => null,
        };
    }

    /// <summary>
    /// The metric names <paramref name="promql"/> reads: identifiers left once strings, Grafana variables, label matchers,
    /// range/subquery brackets and grouping clauses are removed, minus function calls, keywords and numbers.
    /// </summary>
    public static IReadOnlySet<string> MetricNames(string promql)
    {
        ArgumentNullException.ThrowIfNull(promql);
        var text = WithoutStrings(promql);
        text = GrafanaVariable().Replace(text, " ");
        text = LabelMatchers().Replace(text, " ");
        text = Brackets().Replace(text, " ");
        text = GroupingClause().Replace(text, " ");
        return Identifier().Matches(text).Select(m => m.Value).Where(name => !Keywords.Contains(name)).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The names of the samples in a Prometheus text exposition (<c>x_bucket</c>, <c>x_sum</c>, <c>x_count</c> for a histogram <c>x</c>).</summary>
    public static IReadOnlySet<string> SeriesNames(string exposition)
    {
        ArgumentNullException.ThrowIfNull(exposition);
        return exposition.Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l[..l.IndexOfAny([' ', '{'])])
            .ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The families an exposition declares as histograms (<c># TYPE x histogram</c>).</summary>
    public static IReadOnlySet<string> Histograms(string exposition)
    {
        ArgumentNullException.ThrowIfNull(exposition);
        return exposition.Split('\n')
            .Select(l => l.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f is ["#", "TYPE", _, "histogram"])
            .Select(f => f[2])
            .ToHashSet(StringComparer.Ordinal);
    }

    private static IEnumerable<JsonObject> Panels(JsonArray? panels)
    {
        foreach (var panel in panels ?? [])
        {
            if (panel is not JsonObject p)
            {
                continue;
            }

            yield return p;

            // A collapsed row keeps its panels inside it.
            foreach (var nested in Panels(p["panels"]?.AsArray()))
            {
                yield return nested;
            }
        }
    }

    // Blanks string literals in place (same length, so indexes into the text stay valid).
    private static string WithoutStrings(string text) => StringLiteral().Replace(text, m => new string(' ', m.Length));

    [GeneratedRegex("""^(?<fn>label_values|query_result|label_names|metrics)\s*\((?<args>.*)\)\s*$""", RegexOptions.Singleline)]
    private static partial Regex VariableFunction();

    [GeneratedRegex("""
        "(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`
        """)]
    private static partial Regex StringLiteral();

    // $var, ${var}, ${var:format}, [[var]] (the last also goes with the brackets).
    [GeneratedRegex(@"\$\{[^}]*\}|\$\w+")]
    private static partial Regex GrafanaVariable();

    [GeneratedRegex(@"\{[^{}]*\}")]
    private static partial Regex LabelMatchers();

    [GeneratedRegex(@"\[[^\[\]]*\]+")]
    private static partial Regex Brackets();

    [GeneratedRegex(@"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^()]*\)")]
    private static partial Regex GroupingClause();

    // A name not glued to a number (1e3, 5m) and not called as a function (sum by () ( ... ) reads as sum ( after the clause goes).
    [GeneratedRegex(@"(?<![\w:.])(?>[A-Za-z_:][\w:]*)(?!\s*\()")]
    private static partial Regex Identifier();
}
