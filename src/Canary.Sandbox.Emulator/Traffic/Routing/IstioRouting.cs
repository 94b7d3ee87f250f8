using System.Text.Json.Nodes;
using Canary.Sandbox.Traffic.Cluster;
using static Canary.Sandbox.Json.KubeJson;

namespace Canary.Sandbox.Traffic.Routing;

/// <summary>
/// Istio sidecars programmed from VirtualService <c>&lt;apex&gt;</c>: the first <c>http</c> route with a matching
/// match (none = all) wins; destinations weighted (a lone destination gets 100, a missing weight 0); <c>mirror</c>
/// copies <c>mirrorPercentage.value</c> percent (default 100) to its host. Without a VirtualService the mesh
/// sends everything to the apex Service; no matching route → 404.
/// </summary>
internal sealed class IstioRouting(ClusterView view) : IRouting
{
    public RouteDecision Route(TrafficApp app, SimulatedRequest request)
    {
        if (view.VirtualServices.Get(app.Namespace, app.Name)?["spec"] is not JsonObject spec)
        {
            return RouteDecision.To(new RouteTarget(app.Namespace, app.Name, null, 100));
        }

        var route = Objects(spec["http"]).FirstOrDefault(h =>
            h["match"] is not JsonArray { Count: > 0 } matches || matches.OfType<JsonObject>().Any(m => Matches(m, request)));
        return route is null ? RouteDecision.NotFound : Decide(app, route);
    }

    private static RouteDecision Decide(TrafficApp app, JsonObject route)
    {
        var destinations = Objects(route["route"]).ToList();
        var targets = destinations
            .Select(d => Target(app, d["destination"], destinations.Count == 1 ? 100 : Number(d["weight"]) ?? 0))
            .ToList();
        if (targets.Count == 0 || targets.All(t => t.Weight <= 0))
        {
            return new RouteDecision([], [], 500);
        }

        var mirrors = new List<MirrorTarget>();
        if (route["mirror"] is JsonObject mirror)
        {
            var host = Target(app, mirror, 0);
            var percent = Number(route["mirrorPercentage"]?["value"]) ?? Number(route["mirrorPercent"]) ?? 100;
            mirrors.Add(new MirrorTarget(host.Namespace, host.Service, host.Port, percent));
        }

        // Set-Cookie from headers.response add/set: the route's, then the chosen destination's (session affinity).
        var routeCookies = Cookies.ResponseCookies.FromIstioHeaders(route["headers"]);
        var setCookies = destinations
            .Select(d => (IReadOnlyList<string>)[.. routeCookies, .. Cookies.ResponseCookies.FromIstioHeaders(d["headers"])])
            .ToList();
        return new RouteDecision(targets, mirrors) { SetCookies = setCookies.Any(c => c.Count > 0) ? setCookies : [] };
    }

    // host is a short name or <svc>.<ns>[.svc.cluster.local].
    private static RouteTarget Target(TrafficApp app, JsonNode? destination, double weight)
    {
        var parts = (Str(destination?["host"]) ?? string.Empty).Split('.');
        var ns = parts.Length > 1 ? parts[1] : app.Namespace;
        return new RouteTarget(ns, parts[0], (int?)Number(destination?["port"]?["number"]), weight);
    }

    private static bool Matches(JsonObject match, SimulatedRequest request)
    {
        if (match["uri"] is JsonObject uri && !StringMatches(uri, request.Path))
        {
            return false;
        }

        if (match["method"] is JsonObject method && !StringMatches(method, SimulatedRequest.Method))
        {
            return false;
        }

        if (match["headers"] is JsonObject headers && !headers.All(h => h.Value is JsonObject m && StringMatches(m, request.Header(h.Key))))
        {
            return false;
        }

        if (match["withoutHeaders"] is JsonObject without && without.Any(h => h.Value is JsonObject m && StringMatches(m, request.Header(h.Key))))
        {
            return false;
        }

        // Simulated clients are outside the mesh and send no query string.
        return match["queryParams"] is not JsonObject { Count: > 0 } && match["sourceLabels"] is not JsonObject { Count: > 0 };
    }

    private static bool StringMatches(JsonObject match, string? value)
    {
        if (value is null)
        {
            return false;
        }

        if (Str(match["exact"]) is { } exact)
        {
            return value == exact;
        }

        if (Str(match["prefix"]) is { } prefix)
        {
            return value.StartsWith(prefix, StringComparison.Ordinal);
        }

        return Str(match["regex"]) is not { } regex || Matching.FullRegex(value, regex);
    }
}
