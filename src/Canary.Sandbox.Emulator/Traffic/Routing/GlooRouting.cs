using System.Text.Json.Nodes;
using Canary.Sandbox.Traffic.Cluster;
using static Canary.Sandbox.Json.KubeJson;

namespace Canary.Sandbox.Traffic.Routing;

/// <summary>
/// Gloo Edge's Envoy programmed from RouteTable <c>&lt;apex&gt;</c> (gateway.solo.io/v1), which the user's
/// VirtualService delegates the app's traffic to: the first route with no matchers or a matching one (any of them:
/// every header and query parameter, exact or full regex, and method) sends requests to its
/// <c>routeAction.multi.destinations</c> by weight (missing = 0). Each destination is a Gloo Upstream (gloo.solo.io/v1)
/// whose <c>kube</c> section names the Service and port; Envoy names its cluster <c>&lt;upstream&gt;_&lt;namespace&gt;</c>.
/// No RouteTable or no matching route → 404; a destination without its Upstream or weights all 0 → 503.
/// </summary>
internal sealed class GlooRouting(ClusterView view) : IRouting
{
    public RouteDecision Route(TrafficApp app, SimulatedRequest request)
    {
        if (view.RouteTables.Get(app.Namespace, app.Name)?["spec"] is not JsonObject spec)
        {
            return RouteDecision.NotFound;
        }

        var route = Objects(spec["routes"]).FirstOrDefault(r => r["matchers"] is not JsonArray { Count: > 0 } matchers || Objects(matchers).Any(m => Matches(m, request)));
        if (route is null)
        {
            return RouteDecision.NotFound;
        }

        var targets = new List<RouteTarget>();
        foreach (var destination in Objects(route["routeAction"]?["multi"]?["destinations"]))
        {
            var reference = destination["destination"]?["upstream"];
            var name = Str(reference?["name"]) ?? string.Empty;
            var ns = Str(reference?["namespace"]) ?? app.Namespace;
            if (view.Upstreams.Get(ns, name)?["spec"]?["kube"] is not JsonObject kube)
            {
                return new RouteDecision([], [], 503);
            }

            targets.Add(new RouteTarget(Str(kube["serviceNamespace"]) ?? ns, Str(kube["serviceName"]) ?? string.Empty, (int?)Number(kube["servicePort"]), Number(destination["weight"]) ?? 0, Route: $"{name}_{ns}"));
        }

        return targets.Count == 0 || targets.All(t => t.Weight <= 0) ? new RouteDecision([], [], 503) : new RouteDecision(targets, []);
    }

    private static bool Matches(JsonObject matcher, SimulatedRequest request) =>
        Objects(matcher["headers"]).All(h => Holds(h, request.Header(Str(h["name"]) ?? string.Empty)))
        && !Objects(matcher["queryParameters"]).Any()
        && (matcher["methods"] is not JsonArray { Count: > 0 } methods || Strings(methods).Contains("GET"));

    // Simulated requests carry no query string, so a query-parameter matcher never matches (as the README says).
    private static bool Holds(JsonObject header, string? value)
    {
        var expected = Str(header["value"]);
        var matched = expected is null
            ? value is not null
            : header["regex"] is JsonValue regex && regex.TryGetValue<bool>(out var isRegex) && isRegex ? Matching.FullRegex(value, expected) : value == expected;
        return header["invertMatch"] is JsonValue invert && invert.TryGetValue<bool>(out var inverted) && inverted ? !matched : matched;
    }
}
