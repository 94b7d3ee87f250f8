using System.Text.Json.Nodes;
using Canary.Sandbox.Traffic.Cluster;
using static Canary.Sandbox.Json.KubeJson;

namespace Canary.Sandbox.Traffic.Routing;

/// <summary>
/// Contour's Envoy programmed from HTTPProxy <c>&lt;apex&gt;</c> (projectcontour.io/v1): the first route whose conditions
/// all hold (<c>prefix</c>; <c>header</c> with <c>exact</c>, <c>contains</c>, <c>notexact</c>, <c>notcontains</c>,
/// <c>present</c>, <c>notpresent</c>) sends the request to its services by weight (a lone service gets 100, weights all 0
/// → 500). No HTTPProxy or no matching route → 404 (the root proxy that includes it routes nothing else here).
/// </summary>
internal sealed class HttpProxyRouting(ClusterView view) : IRouting
{
    public RouteDecision Route(TrafficApp app, SimulatedRequest request)
    {
        if (view.HttpProxies.Get(app.Namespace, app.Name)?["spec"] is not JsonObject spec)
        {
            return RouteDecision.NotFound;
        }

        var route = Objects(spec["routes"]).FirstOrDefault(r => Objects(r["conditions"]).All(c => Holds(c, request)));
        if (route is null)
        {
            return RouteDecision.NotFound;
        }

        var services = Objects(route["services"]).ToList();
        var targets = services
            .Select(s => new RouteTarget(app.Namespace, Str(s["name"]) ?? string.Empty, (int?)Number(s["port"]), services.Count == 1 ? 100 : Number(s["weight"]) ?? 0))
            .ToList();
        return targets.Count == 0 || targets.All(t => t.Weight <= 0) ? new RouteDecision([], [], 500) : new RouteDecision(targets, []);
    }

    private static bool Holds(JsonObject condition, SimulatedRequest request)
    {
        if (Str(condition["prefix"]) is { } prefix && !request.Path.StartsWith(prefix, StringComparison.Ordinal))
        {
            return false;
        }

        if (condition["header"] is not JsonObject header)
        {
            return true;
        }

        var value = request.Header(Str(header["name"]) ?? string.Empty);
        return header switch
        {
            _ when Str(header["exact"]) is { } exact => value == exact,
            _ when Str(header["contains"]) is { } contains => value?.Contains(contains, StringComparison.Ordinal) == true,
            _ when Str(header["notexact"]) is { } notExact => value != notExact,
            _ when Str(header["notcontains"]) is { } notContains => value?.Contains(notContains, StringComparison.Ordinal) != true,
            _ when header["present"] is JsonValue present && present.TryGetValue<bool>(out var p) && p => value is not null,
            _ when header["notpresent"] is JsonValue absent && absent.TryGetValue<bool>(out var a) && a => value is null,
            _ => true,
        };
    }
}
