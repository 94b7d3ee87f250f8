using System.Text.Json.Nodes;
using Canary.Kubernetes.Json;
using Canary.Providers.Apply;
using Canary.Providers.Naming;
using Canary.Providers.Routing;

namespace Canary.Providers.Builders;

/// <summary>
/// Pure builder of the canary ApisixRoute <c>&lt;routeRef.name&gt;-&lt;apex&gt;-canary</c> (apisix.apache.org/v2, as
/// fluxcd/flagger <c>pkg/router/apisix.go</c>), and the reader of the split back out of it.
/// </summary>
/// <remarks>
/// The user's ApisixRoute (<c>spec.routeRef</c>) keeps serving; the canary route holds a copy of the user's http route
/// whose single backend is the apex Service, with priority 10000 (so APISIX prefers it for the same match), that
/// backend pointed at <c>&lt;apex&gt;-primary</c> and a second backend <c>&lt;apex&gt;-canary</c> (same port, resolve
/// granularity and subset), both weighted. The user's labels and annotations are copied (Flux's keys and kubectl's
/// last-applied record left out).
/// </remarks>
public static class ApisixRouteBuilder
{
    /// <summary>The priority of the copied http route, above anything a user writes (Flagger's value).</summary>
    public const int Priority = 10000;

    /// <summary>The canary route's name.</summary>
    public static string Name(CanaryResource canary, string routeRef) => $"{routeRef}-{CanaryNames.Services(canary).Apex}-canary";

    /// <summary>The canary ApisixRoute copied from <paramref name="userRoute"/> with <paramref name="routes"/>.</summary>
    public static JsonObject Build(CanaryResource canary, JsonObject userRoute, RouteState routes)
    {
        ArgumentNullException.ThrowIfNull(canary);
        ArgumentNullException.ThrowIfNull(userRoute);
        var names = CanaryNames.Services(canary);
        var ns = CanaryNames.Namespace(canary);
        var userName = (string?)userRoute["metadata"]?["name"] ?? string.Empty;
        var http = (userRoute["spec"]?["http"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        if (http.Count == 0)
        {
            throw new TrafficRouterException($"APISIX route {userName}.{ns}'s spec.http is empty");
        }

        var target = http.FirstOrDefault(h => (h["backends"] as JsonArray ?? []).Any(b => (string?)b?["serviceName"] == names.Apex))
            ?? throw new TrafficRouterException($"APISIX route {userName}.{ns} has no http route with backend {names.Apex}");
        if (target["backends"] is not JsonArray { Count: 1 } backends)
        {
            throw new TrafficRouterException($"APISIX route {userName}.{ns}'s http route {(string?)target["name"]} has more than one backend; only one is supported");
        }

        var route = (JsonObject)target.DeepClone();
        route["priority"] = Priority;
        route["backends"] = Backends(names, (JsonObject)backends[0]!, routes);
        var annotations = ObjectMetadata.Generated(ObjectMetadata.CopiedAnnotations(JsonNodes.ReadMap(userRoute["metadata"]?["annotations"])));
        var metadata = new JsonObject { ["name"] = Name(canary, userName), ["namespace"] = ns };
        if (ObjectMetadata.Filtered(JsonNodes.ReadMap(userRoute["metadata"]?["labels"])) is { Count: > 0 } labels)
        {
            metadata["labels"] = JsonNodes.Map(labels);
        }

        metadata["annotations"] = JsonNodes.Map(annotations);
        metadata["ownerReferences"] = ObjectMetadata.OwnerReferencesJson(canary);
        return new JsonObject
        {
            ["apiVersion"] = RouterKinds.ApisixRoute.ApiVersion,
            ["kind"] = RouterKinds.ApisixRoute.Kind,
            ["metadata"] = metadata,
            ["spec"] = new JsonObject { ["http"] = new JsonArray(route) },
        };
    }

    /// <summary><paramref name="canaryRoute"/>'s spec with the primary and canary backends weighted by <paramref name="routes"/>.</summary>
    public static JsonObject WithWeights(CanaryResource canary, JsonObject canaryRoute, RouteState routes)
    {
        ArgumentNullException.ThrowIfNull(canary);
        ArgumentNullException.ThrowIfNull(canaryRoute);
        var names = CanaryNames.Services(canary);
        var spec = (JsonObject)(canaryRoute["spec"]?.DeepClone() ?? new JsonObject());
        foreach (var backend in (spec["http"] as JsonArray ?? []).SelectMany(h => h?["backends"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var service = (string?)backend["serviceName"];
            if (service == names.Primary)
            {
                backend["weight"] = routes.PrimaryWeight;
            }
            else if (service == names.Canary)
            {
                backend["weight"] = routes.CanaryWeight;
            }
        }

        return spec;
    }

    /// <summary>The split: the primary backend's weight, canary = 100 − primary (Flagger's reading), or null without a primary backend.</summary>
    public static RouteState? ReadRoutes(CanaryResource canary, JsonObject canaryRoute)
    {
        ArgumentNullException.ThrowIfNull(canary);
        ArgumentNullException.ThrowIfNull(canaryRoute);
        var primary = (canaryRoute["spec"]?["http"] as JsonArray ?? [])
            .SelectMany(h => h?["backends"] as JsonArray ?? [])
            .FirstOrDefault(b => (string?)b?["serviceName"] == CanaryNames.Services(canary).Primary);
        if (primary is null)
        {
            return null;
        }

        var weight = Math.Clamp((int?)primary["weight"] ?? 0, 0, 100);
        return new RouteState(weight, 100 - weight, false);
    }

    private static JsonArray Backends(ServiceNames names, JsonObject original, RouteState routes)
    {
        var primary = (JsonObject)original.DeepClone();
        primary["serviceName"] = names.Primary;
        primary["weight"] = routes.PrimaryWeight;
        var canary = new JsonObject { ["serviceName"] = names.Canary, ["servicePort"] = original["servicePort"]?.DeepClone() };
        if (original["resolveGranularity"] is { } granularity)
        {
            canary["resolveGranularity"] = granularity.DeepClone();
        }

        canary["weight"] = routes.CanaryWeight;
        if (original["subset"] is { } subset)
        {
            canary["subset"] = subset.DeepClone();
        }

        return new JsonArray(primary, canary);
    }
}
