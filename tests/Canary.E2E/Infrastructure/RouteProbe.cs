using System.Globalization;
using System.Text.Json.Nodes;
using Canary.Sandbox.ApiServer.Resources;

namespace Canary.E2E.Infrastructure;

/// <summary>
/// Where a provider keeps the traffic split and how to read the canary's weight out of it, so scenarios can follow the
/// routing object itself (not only the Canary status). Null weight = the object does not carry a split (yet).
/// </summary>
/// <param name="Resource">Resource of the routing object.</param>
/// <param name="ObjectName">Name of the routing object in the Canary's namespace.</param>
/// <param name="CanaryWeight">The canary's weight as the data plane would apply it.</param>
/// <param name="ClusterScoped">The routing object is cluster-scoped (Kuma's TrafficRoute), not in the Canary's namespace.</param>
public sealed record RouteProbe(GroupVersionResource Resource, string ObjectName, Func<JsonObject, int?> CanaryWeight, bool ClusterScoped = false)
{
    /// <summary>The probe for <paramref name="provider"/> and apex <paramref name="apex"/> (nginx: the canary Ingress of <paramref name="ingress"/>).</summary>
    public static RouteProbe For(string provider, string apex, string? ingress = null, string? ns = null)
    {
        ArgumentNullException.ThrowIfNull(provider);
        var canaryService = $"{apex}-canary";
        return provider.Split(':', 2) switch
        {
            ["gatewayapi", var version] => new(Crds.HttpRoutes with { Version = version }, apex, route => HttpRouteWeight(route, canaryService)),
            ["gatewayapi"] => new(Crds.HttpRoutes, apex, route => HttpRouteWeight(route, canaryService)),
            ["istio"] => new(Crds.VirtualServices, apex, vs => VirtualServiceWeight(vs, canaryService)),
            ["nginx"] => new(new("networking.k8s.io", "v1", "ingresses"), $"{ingress ?? apex}-canary", NginxWeight),
            ["linkerd"] => new(Crds.TrafficSplits, apex, split => TrafficSplitWeight(split, canaryService)),
            ["contour"] => new(Crds.HttpProxies, apex, proxy => HttpProxyWeight(proxy, canaryService)),
            ["apisix"] => new(Crds.ApisixRoutes, $"{apex}-{apex}-canary", route => ApisixRouteWeight(route, canaryService)),
            ["gloo"] => new(Crds.RouteTables, apex, table => RouteTableWeight(table, $"{ns}-{apex}-canaryupstream-")),
            ["kuma"] => new(Crds.TrafficRoutes, $"{apex}.{ns}", route => TrafficRouteWeight(route, canaryService), ClusterScoped: true),
            ["skipper"] => new(new("networking.k8s.io", "v1", "ingresses"), $"{ingress ?? apex}-canary", ingress => SkipperWeight(ingress, canaryService)),
            ["traefik"] => new(Crds.TraefikServices, apex, service => TraefikServiceWeight(service, apex, canaryService)),
            ["knative"] => new(Crds.KnativeServices, apex, KnativeWeight),
            ["smi", var rest] => new(Crds.TrafficSplits with { Version = rest.Split(':')[0] }, apex, split => TrafficSplitWeight(split, canaryService)),
            _ => throw new ArgumentException($"no route probe for provider {provider}", nameof(provider)),
        };
    }

    /// <summary>Weight of the canary backend in the first rule splitting between two backends (the weighted rule).</summary>
    private static int? HttpRouteWeight(JsonObject route, string canaryService)
    {
        foreach (var rule in route["spec"]?["rules"] as JsonArray ?? [])
        {
            if (rule?["backendRefs"] is JsonArray { Count: 2 } backends &&
                backends.FirstOrDefault(b => (string?)b?["name"] == canaryService) is { } canary)
            {
                return (int?)canary["weight"] ?? 1;
            }
        }

        return null;
    }

    private static int? VirtualServiceWeight(JsonObject vs, string canaryService)
    {
        var routes = vs["spec"]?["http"]?[0]?["route"] as JsonArray ?? [];
        var canary = routes.FirstOrDefault(r => ((string?)r?["destination"]?["host"])?.Split('.')[0] == canaryService);
        return canary is null ? null : (int?)canary["weight"] ?? (routes.Count == 1 ? 100 : 0);
    }

    // The first route carries the split (the A/B routes come first, the catch-all to the primary last).
    private static int? HttpProxyWeight(JsonObject proxy, string canaryService) =>
        (int?)(proxy["spec"]?["routes"]?[0]?["services"] as JsonArray ?? []).FirstOrDefault(s => (string?)s?["name"] == canaryService)?["weight"];

    // The route named after the apex (routeRef = apex in the scenarios); its canary backend's weight.
    private static int? ApisixRouteWeight(JsonObject route, string canaryService) =>
        (int?)(route["spec"]?["http"]?[0]?["backends"] as JsonArray ?? []).FirstOrDefault(b => (string?)b?["serviceName"] == canaryService)?["weight"];

    // The first route carries the split; a weight of 0 is left out (Go's omitempty).
    private static int? RouteTableWeight(JsonObject table, string canaryUpstreamPrefix) =>
        (table["spec"]?["routes"]?[0]?["routeAction"]?["multi"]?["destinations"] as JsonArray ?? [])
            .FirstOrDefault(d => ((string?)d?["destination"]?["upstream"]?["name"])?.StartsWith(canaryUpstreamPrefix, StringComparison.Ordinal) == true) is { } canary
            ? (int?)canary["weight"] ?? 0
            : null;

    private static int? TrafficRouteWeight(JsonObject route, string canaryService) =>
        (int?)(route["spec"]?["conf"]?["split"] as JsonArray ?? [])
            .FirstOrDefault(s => ((string?)s?["destination"]?["kuma.io/service"])?.StartsWith(canaryService + "_", StringComparison.Ordinal) == true)?["weight"];

    private static int? SkipperWeight(JsonObject ingress, string canaryService)
    {
        try
        {
            return (string?)ingress["metadata"]?["annotations"]?["zalando.org/backend-weights"] is { } text
                ? (int?)JsonNode.Parse(text)?[canaryService]
                : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    // The canary is listed only while it has a share; the primary is always there.
    private static int? TraefikServiceWeight(JsonObject service, string apex, string canaryService)
    {
        var services = service["spec"]?["weighted"]?["services"] as JsonArray ?? [];
        return services.FirstOrDefault(s => (string?)s?["name"] == canaryService) is { } canary
            ? (int?)canary["weight"]
            : services.Any(s => (string?)s?["name"] == $"{apex}-primary") ? 0 : null;
    }

    // v1alpha1 weights are quantity strings ("90"), later versions integers.
    private static int? TrafficSplitWeight(JsonObject split, string canaryService)
    {
        var weight = (split["spec"]?["backends"] as JsonArray ?? []).FirstOrDefault(b => (string?)b?["service"] == canaryService)?["weight"];
        return weight switch
        {
            JsonValue v when v.TryGetValue<int>(out var number) => number,
            JsonValue v when int.TryParse((string?)v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => null,
        };
    }

    // The latest revision's percent in spec.traffic, once the controller named a primary revision.
    private static int? KnativeWeight(JsonObject service) =>
        service["metadata"]?["annotations"]?["canary.dev/primary-revision"] is null
            ? null
            : (int?)(service["spec"]?["traffic"] as JsonArray ?? []).FirstOrDefault(t => (bool?)t?["latestRevision"] == true)?["percent"];

    private static int? NginxWeight(JsonObject ingress) =>
        ingress["metadata"]?["annotations"]?["nginx.ingress.kubernetes.io/canary-weight"] is JsonValue value &&
        int.TryParse((string?)value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var weight)
            ? weight
            : null;
}
