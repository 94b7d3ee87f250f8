using System.Text.Json.Nodes;
using Canary.Sandbox.Traffic.Cluster;
using static Canary.Sandbox.Json.KubeJson;

namespace Canary.Sandbox.Traffic.Routing;

/// <summary>
/// Envoy programmed from HTTPRoute <c>&lt;apex&gt;</c>: the most specific matching match wins (exact path, longest
/// prefix, method, most headers, most query params, then rule order); weighted backendRefs (default weight 1, all
/// zero → 500); RequestMirror filters (percent or fraction, default all). No route → 404.
/// </summary>
internal sealed class GatewayApiRouting(ClusterView view) : IRouting
{
    public RouteDecision Route(TrafficApp app, SimulatedRequest request)
    {
        if (view.HttpRoutes.Get(app.Namespace, app.Name)?["spec"] is not JsonObject spec)
        {
            return RouteDecision.NotFound;
        }

        JsonObject? best = null;
        (int, int, int, int, int) bestRank = default;
        foreach (var rule in Objects(spec["rules"]))
        {
            var matches = rule["matches"] is JsonArray { Count: > 0 } list
                ? list.OfType<JsonObject>()
                : [new JsonObject()];
            foreach (var match in matches)
            {
                if (Rank(match, request) is { } rank && (best is null || rank.CompareTo(bestRank) > 0))
                {
                    best = rule;
                    bestRank = rank;
                }
            }
        }

        return best is null ? RouteDecision.NotFound : Decide(app, best);
    }

    private static RouteDecision Decide(TrafficApp app, JsonObject rule)
    {
        var targets = Objects(rule["backendRefs"])
            .Select(b => new RouteTarget(Str(b["namespace"]) ?? app.Namespace, Str(b["name"]) ?? string.Empty, (int?)Number(b["port"]), Number(b["weight"]) ?? 1))
            .ToList();
        if (targets.Count == 0 || targets.All(t => t.Weight <= 0))
        {
            return new RouteDecision([], [], 500);
        }

        var mirrors = Objects(rule["filters"])
            .Where(f => Str(f["type"]) == "RequestMirror" && f["requestMirror"]?["backendRef"] is JsonObject)
            .Select(f => Mirror(app, (JsonObject)f["requestMirror"]!))
            .ToList();
        // Set-Cookie from ResponseHeaderModifier filters: the rule's, then the chosen backend's (session affinity).
        var ruleCookies = Cookies.ResponseCookies.FromGatewayFilters(rule["filters"]);
        var setCookies = Objects(rule["backendRefs"])
            .Select(b => (IReadOnlyList<string>)[.. ruleCookies, .. Cookies.ResponseCookies.FromGatewayFilters(b["filters"])])
            .ToList();
        return new RouteDecision(targets, mirrors) { SetCookies = setCookies.Any(c => c.Count > 0) ? setCookies : [] };
    }

    private static MirrorTarget Mirror(TrafficApp app, JsonObject mirror)
    {
        var backend = mirror["backendRef"]!;
        var percent = Number(mirror["percent"])
            ?? (Number(mirror["fraction"]?["numerator"]) is { } n ? 100 * n / (Number(mirror["fraction"]?["denominator"]) ?? 100) : 100);
        return new MirrorTarget(Str(backend["namespace"]) ?? app.Namespace, Str(backend["name"]) ?? string.Empty, (int?)Number(backend["port"]), percent);
    }

    /// <summary>Precedence tuple of a matching match (higher wins), or null when the request does not match.</summary>
    private static (int, int, int, int, int)? Rank(JsonObject match, SimulatedRequest request)
    {
        var pathType = Str(match["path"]?["type"]) ?? "PathPrefix";
        var pathValue = Str(match["path"]?["value"]) ?? "/";
        var pathOk = pathType switch
        {
            "Exact" => request.Path == pathValue,
            "RegularExpression" => Matching.FullRegex(request.Path, pathValue),
            _ => Matching.PathPrefix(request.Path, pathValue),
        };
        var method = Str(match["method"]);
        var headers = Objects(match["headers"]).ToList();
        var queryParams = Objects(match["queryParams"]).ToList();
        var ok = pathOk
            && (method is null || method == SimulatedRequest.Method)
            && headers.All(h => HeaderMatches(h, request))
            && queryParams.Count == 0; // simulated requests carry no query string
        if (!ok)
        {
            return null;
        }

        var pathRank = pathType switch { "Exact" => 2, "PathPrefix" => 1, _ => 0 };
        return (pathRank, pathType == "PathPrefix" ? pathValue.Length : 0, method is null ? 0 : 1, headers.Count, queryParams.Count);
    }

    private static bool HeaderMatches(JsonObject header, SimulatedRequest request)
    {
        var value = request.Header(Str(header["name"]) ?? string.Empty);
        var expected = Str(header["value"]) ?? string.Empty;
        return Str(header["type"]) == "RegularExpression" ? Matching.FullRegex(value, expected) : value == expected;
    }
}
