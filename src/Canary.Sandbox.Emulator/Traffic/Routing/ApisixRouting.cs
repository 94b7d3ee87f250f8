using System.Text.Json.Nodes;
using Canary.Sandbox.Traffic.Cluster;
using static Canary.Sandbox.Json.KubeJson;

namespace Canary.Sandbox.Traffic.Routing;

/// <summary>
/// The APISIX ingress programmed from the ApisixRoutes (apisix.apache.org/v2) in the app's namespace: of the http routes
/// whose <c>match</c> holds (a <c>paths</c> entry, exact or ending in <c>*</c>; <c>methods</c>; <c>exprs</c> on headers with
/// Equal, NotEqual or RegexMatch), the one with the highest <c>priority</c> wins (then the first), and its
/// <c>backends</c> share requests by weight (default 100). APISIX names the route
/// <c>&lt;ns&gt;_&lt;ApisixRoute&gt;_&lt;http route&gt;</c> in its metrics. No route → 404; weights all 0 → 503.
/// </summary>
internal sealed class ApisixRouting(ClusterView view) : IRouting
{
    public RouteDecision Route(TrafficApp app, SimulatedRequest request)
    {
        var best = view.ApisixRoutes.InNamespace(app.Namespace)
            .OrderBy(Name, StringComparer.Ordinal)
            .SelectMany(r => Objects(r["spec"]?["http"]).Select(h => (Route: r, Http: h)))
            .Where(c => Matches(c.Http["match"] as JsonObject, request))
            .OrderByDescending(c => Number(c.Http["priority"]) ?? 0)
            .Select(c => ((JsonObject, JsonObject)?)c)
            .FirstOrDefault();
        if (best is not var (route, http))
        {
            return RouteDecision.NotFound;
        }

        var id = $"{app.Namespace}_{Name(route)}_{Str(http["name"])}";
        var targets = Objects(http["backends"])
            .Select(b => new RouteTarget(app.Namespace, Str(b["serviceName"]) ?? string.Empty, (int?)Number(b["servicePort"]), Math.Max(0, Number(b["weight"]) ?? 100), Route: id))
            .Where(t => t.Service.Length > 0)
            .ToList();
        return targets.Count == 0 || targets.All(t => t.Weight <= 0) ? new RouteDecision([], [], 503) : new RouteDecision(targets, []);
    }

    private static bool Matches(JsonObject? match, SimulatedRequest request)
    {
        if (match is null)
        {
            return false;
        }

        var paths = Strings(match["paths"]);
        var pathMatches = paths.Any(p => p.EndsWith('*') ? request.Path.StartsWith(p[..^1], StringComparison.Ordinal) : request.Path == p);
        var methods = Strings(match["methods"]);
        return pathMatches && (methods.Count == 0 || methods.Contains("GET")) && Objects(match["exprs"]).All(e => Holds(e, request));
    }

    private static bool Holds(JsonObject expr, SimulatedRequest request)
    {
        if (Str(expr["subject"]?["scope"]) != "Header")
        {
            return false;
        }

        var value = request.Header(Str(expr["subject"]?["name"]) ?? string.Empty);
        var expected = Str(expr["value"]) ?? string.Empty;
        return Str(expr["op"]) switch
        {
            "Equal" => value == expected,
            "NotEqual" => value != expected,
            "RegexMatch" => Matching.SearchRegex(value, expected),
            _ => false,
        };
    }
}
