using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Canary.Sandbox.Traffic.Cluster;
using static Canary.Sandbox.Json.KubeJson;

namespace Canary.Sandbox.Traffic.Routing;

/// <summary>
/// Skipper reading Ingresses <c>&lt;ingress&gt;</c> and <c>&lt;ingress&gt;-canary</c>: each Ingress path is a route named
/// <c>kube_&lt;ns&gt;__&lt;ingress&gt;__&lt;host&gt;__&lt;path&gt;__&lt;service&gt;</c> (non-word characters as <c>_</c>,
/// Skipper's route ids). <c>zalando.org/skipper-predicate</c> adds predicates: <c>False()</c> disables the Ingress'
/// routes, <c>Weight(n)</c> makes them win over routes with less weight. Of the matching routes the heaviest wins, then
/// the longest path; paths with the same path in that Ingress share requests by <c>zalando.org/backend-weights</c>
/// (only listed backends get traffic; none listed → equal shares). No Ingress route matches → 404.
/// </summary>
internal sealed partial class SkipperRouting(ClusterView view) : IRouting
{
    private const string PredicateAnnotation = "zalando.org/skipper-predicate";
    private const string WeightsAnnotation = "zalando.org/backend-weights";

    public RouteDecision Route(TrafficApp app, SimulatedRequest request)
    {
        var routes = new[] { app.IngressName, app.IngressName + "-canary" }
            .Select(name => view.Ingresses.Get(app.Namespace, name))
            .OfType<JsonObject>()
            .SelectMany(ingress => Routes(ingress, request.Path))
            .ToList();
        if (routes.Count == 0)
        {
            return RouteDecision.NotFound;
        }

        var best = routes.OrderByDescending(r => r.Weight).ThenByDescending(r => r.Path.Length).First();
        var group = routes.Where(r => r.Ingress == best.Ingress && r.Path == best.Path).ToList();
        var weights = BackendWeights(group[0].Annotations);
        var listed = group.Where(r => weights.ContainsKey(r.Target.Service)).ToList();
        var targets = listed.Count == 0
            ? group.Select(r => r.Target with { Weight = 1 })
            : listed.Select(r => r.Target with { Weight = weights[r.Target.Service] });
        var result = targets.ToList();
        return result.All(t => t.Weight <= 0) ? RouteDecision.To(result[0] with { Weight = 1 }) : new RouteDecision(result, []);
    }

    /// <summary>Skipper's id of the route for one Ingress path.</summary>
    public static string RouteId(string ns, string ingress, string host, string path, string service) =>
        $"kube_{Encode(ns)}__{Encode(ingress)}__{Encode(host)}__{Encode(path)}__{Encode(service)}";

    private static IEnumerable<SkipperRoute> Routes(JsonObject ingress, string requestPath)
    {
        var annotations = ingress["metadata"]?["annotations"] as JsonObject;
        var predicates = (Str(annotations?[PredicateAnnotation]) ?? string.Empty).Split("&&", StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (predicates.Contains("False()"))
        {
            yield break;
        }

        var weight = predicates.Select(p => WeightPredicate().Match(p)).Where(m => m.Success).Sum(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
        var ns = Str(ingress["metadata"]?["namespace"]) ?? string.Empty;
        foreach (var rule in Objects(ingress["spec"]?["rules"]))
        {
            var host = Str(rule["host"]) ?? string.Empty;
            foreach (var path in Objects(rule["http"]?["paths"]))
            {
                var value = Str(path["path"]) ?? "/";
                var matches = Str(path["pathType"]) == "Exact" ? requestPath == value : Matching.PathPrefix(requestPath, value);
                if (matches && path["backend"]?["service"] is JsonObject service && Str(service["name"]) is { } name)
                {
                    var target = new RouteTarget(ns, name, (int?)Number(service["port"]?["number"]), 1, Route: RouteId(ns, Name(ingress), host, value, name));
                    yield return new SkipperRoute(Name(ingress), value, weight, annotations, target);
                }
            }
        }
    }

    // Skipper reads the weights as numbers (ints or floats) and uses them as ratios; unreadable → none listed.
    private static Dictionary<string, double> BackendWeights(JsonObject? annotations)
    {
        try
        {
            return Str(annotations?[WeightsAnnotation]) is { } text && JsonNode.Parse(text) is JsonObject map
                ? map.Where(e => Number(e.Value) is not null).ToDictionary(e => e.Key, e => Math.Max(0, Number(e.Value)!.Value), StringComparer.Ordinal)
                : [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    private static string Encode(string value) => NonWord().Replace(value, "_");

    [GeneratedRegex(@"\W")]
    private static partial Regex NonWord();

    [GeneratedRegex(@"^Weight\(\s*(\d+)\s*\)$")]
    private static partial Regex WeightPredicate();

    private sealed record SkipperRoute(string Ingress, string Path, int Weight, JsonObject? Annotations, RouteTarget Target);
}
