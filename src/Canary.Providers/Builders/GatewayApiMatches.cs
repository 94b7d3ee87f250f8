using System.Text.Json.Nodes;
using Canary.Api.V1Beta1;
using Canary.Providers.Routing;

namespace Canary.Providers.Builders;

/// <summary>Translation of Istio-style <c>HTTPMatchRequest</c>s into Gateway API <c>HTTPRouteMatch</c>es (Flagger's <c>mapRouteMatches</c>).</summary>
internal static class GatewayApiMatches
{
    /// <summary>
    /// uri exact/prefix/regex → path Exact/PathPrefix/RegularExpression; method exact; headers and queryParams
    /// exact/regex (sorted by name for stable specs). Anything else has no Gateway API equivalent and throws.
    /// </summary>
    public static JsonArray Map(IEnumerable<HttpMatchRequest>? requests)
    {
        var matches = new JsonArray();
        foreach (var request in requests ?? [])
        {
            var match = new JsonObject();
            if (request.Uri is { } uri)
            {
                match["path"] = uri switch
                {
                    { Regex: { Length: > 0 } regex } => Path("RegularExpression", regex),
                    { Exact: { Length: > 0 } exact } => Path("Exact", exact),
                    { Prefix: { Length: > 0 } prefix } => Path("PathPrefix", prefix),
                    _ => throw Unsupported("uri", "exact, prefix or regex"),
                };
            }

            if (request.Method is { } method)
            {
                match["method"] = method.Exact is { Length: > 0 } exact ? exact : throw Unsupported("method", "exact");
            }

            if (Values(request.Headers, "headers") is { } headers)
            {
                match["headers"] = headers;
            }

            if (Values(request.QueryParams, "queryParams") is { } queryParams)
            {
                match["queryParams"] = queryParams;
            }

            if (match.Count > 0)
            {
                matches.Add(match);
            }
        }

        return matches;
    }

    /// <summary>The default match of a generated rule: every path.</summary>
    public static JsonArray Default() => [new JsonObject { ["path"] = Path("PathPrefix", "/") }];

    /// <summary>
    /// Cross product of analysis and service matches: each service match with every condition the analysis match sets
    /// replacing its own (Flagger's <c>mergeMatchConditions</c> takes headers and queryParams only).
    /// </summary>
    public static JsonArray Merge(JsonArray analysis, JsonArray service)
    {
        if (analysis.Count == 0)
        {
            return (JsonArray)service.DeepClone();
        }

        if (service.Count == 0)
        {
            return (JsonArray)analysis.DeepClone();
        }

        var merged = new JsonArray();
        foreach (var a in analysis)
        {
            foreach (var s in service)
            {
                var match = (JsonObject)s!.DeepClone();
                // Every condition the A/B match sets replaces the service match's (Flagger keeps only headers and queryParams,
                // dropping an A/B path or method whenever service.match is set).
                foreach (var (key, value) in (JsonObject)a!)
                {
                    match[key] = value?.DeepClone();
                }

                merged.Add(match);
            }
        }

        return merged;
    }

    private static JsonObject Path(string type, string value) => new() { ["type"] = type, ["value"] = value };

    private static JsonArray? Values(IDictionary<string, StringMatch>? values, string field)
    {
        if (values is not { Count: > 0 })
        {
            return null;
        }

        var result = new JsonArray();
        foreach (var (name, value) in values.OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            var (type, text) = value switch
            {
                { Exact: { Length: > 0 } exact } => ("Exact", exact),
                { Regex: { Length: > 0 } regex } => ("RegularExpression", regex),
                _ => throw Unsupported($"{field}.{name}", "exact or regex"),
            };
            result.Add(new JsonObject { ["name"] = name, ["type"] = type, ["value"] = text });
        }

        return result;
    }

    private static TrafficRouterException Unsupported(string field, string supported) =>
        new($"Gateway API does not support this {field} match; use {supported}");
}
