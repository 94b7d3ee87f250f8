using System.Text.Json.Nodes;
using Canary.Api.Defaults;
using Canary.Api.V1Beta1;
using Canary.Kubernetes.Json;
using Canary.Providers.Apply;
using Canary.Providers.Naming;
using Canary.Providers.Routing;

namespace Canary.Providers.Builders;

/// <summary>
/// Pure builder of the Istio objects (as fluxcd/flagger <c>pkg/router/istio.go</c>): the VirtualService
/// <c>&lt;apex&gt;</c> and the DestinationRules <c>&lt;apex&gt;-primary</c> / <c>&lt;apex&gt;-canary</c>.
/// </summary>
/// <remarks>
/// Like Flagger, a destination weight of 0 is omitted (Go's omitempty), and the A/B rule merges analysis and service
/// matches as a cross product. Divergences: analysis <c>queryParams</c> are merged too (Flagger keeps only headers and
/// sourceLabels), and <c>rewrite.type</c> (a Gateway API-only field) is not written into the VirtualService. Session
/// affinity (<see cref="StickyRoutes"/>) follows Flagger's rules with the cookies the engine put in the status.
/// </remarks>
public static class IstioObjectsBuilder
{
    /// <summary>Annotation holding the spec of a VirtualService we took over, for Finalize (Flagger's name).</summary>
    public const string OriginalConfigurationAnnotation = "flagger.kubernetes.io/original-configuration";

    private const string ApiVersion = "networking.istio.io/v1beta1";

    /// <summary>The complete VirtualService for <paramref name="routes"/>.</summary>
    public static JsonObject VirtualService(CanaryResource canary, RouteState routes)
    {
        ArgumentNullException.ThrowIfNull(canary);
        var metadata = ObjectMetadata.ApexObject(canary, CanaryNames.Services(canary).Apex, CanaryNames.Namespace(canary));
        return new JsonObject
        {
            ["apiVersion"] = ApiVersion,
            ["kind"] = "VirtualService",
            ["metadata"] = metadata,
            ["spec"] = VirtualServiceSpec(canary, routes),
        };
    }

    /// <summary>hosts, gateways, and the http (or tcp) routes with the given weights.</summary>
    public static JsonObject VirtualServiceSpec(CanaryResource canary, RouteState routes)
    {
        ArgumentNullException.ThrowIfNull(canary);
        var service = Service(canary);
        var names = CanaryNames.Services(canary);
        var spec = new JsonObject();
        if (service.Delegation == true)
        {
            if (service.Hosts is { Count: > 0 } || service.Gateways is { Count: > 0 })
            {
                throw new TrafficRouterException(
                    $"VirtualService {names.Apex}.{CanaryNames.Namespace(canary)} cannot have hosts and gateways when delegation is enabled");
            }
        }
        else
        {
            var hosts = new List<string>(service.Hosts ?? []);
            if (!hosts.Contains(names.Apex) && !hosts.Contains("*"))
            {
                hosts.Add(names.Apex);
            }

            spec["hosts"] = Strings(hosts);
            spec["gateways"] = Strings(service.Gateways is { Count: > 0 } gateways ? gateways : ["mesh"]);
        }

        if (string.Equals(service.AppProtocol, "tcp", StringComparison.OrdinalIgnoreCase))
        {
            spec["tcp"] = new JsonArray { TcpRoute(canary, routes) };
            return spec;
        }

        var http = new JsonArray();
        if (canary.Spec.EffectiveAnalysis()?.Match is { Count: > 0 } abMatch)
        {
            http.Add(HttpRoute(canary, MergeMatches(abMatch, service.Match), routes.PrimaryWeight, routes.CanaryWeight));
            http.Add(HttpRoute(canary, JsonNodes.FromApi(service.Match), 100, null));
        }
        else
        {
            var weighted = HttpRoute(canary, JsonNodes.FromApi(service.Match), routes.PrimaryWeight, routes.CanaryWeight);
            if (routes.Mirrored)
            {
                weighted["mirror"] = new JsonObject { ["host"] = names.Canary };
                if (canary.Spec.EffectiveAnalysis()?.MirrorWeight is > 0 and var mirrorWeight)
                {
                    weighted["mirrorPercentage"] = new JsonObject { ["value"] = (double)mirrorWeight };
                }
            }

            if (SessionAffinityCookies.For(canary) is { } affinity)
            {
                foreach (var route in StickyRoutes(canary, affinity, weighted, routes))
                {
                    http.Add(route);
                }
            }
            else
            {
                http.Add(weighted);
            }
        }

        spec["http"] = http;
        return spec;
    }

    /// <summary>DestinationRule <paramref name="host"/> with <c>service.trafficPolicy</c>.</summary>
    public static JsonObject DestinationRule(CanaryResource canary, string host)
    {
        ArgumentNullException.ThrowIfNull(canary);
        var spec = new JsonObject { ["host"] = host };
        if (JsonNodes.FromApi(Service(canary).TrafficPolicy) is { } policy)
        {
            spec["trafficPolicy"] = policy;
        }

        return new JsonObject
        {
            ["apiVersion"] = ApiVersion,
            ["kind"] = "DestinationRule",
            ["metadata"] = new JsonObject
            {
                ["name"] = host,
                ["namespace"] = CanaryNames.Namespace(canary),
                ["annotations"] = JsonNodes.Map(ObjectMetadata.Generated([])),
                ["ownerReferences"] = ObjectMetadata.OwnerReferencesJson(canary),
            },
            ["spec"] = spec,
        };
    }

    /// <summary>
    /// Weights from the route that has a canary destination (under session affinity, the one whose destinations carry
    /// response headers: the sticky rules come first); mirrored when it mirrors. Null when none routes to both.
    /// </summary>
    public static RouteState? ReadRoutes(JsonObject virtualService, ServiceNames names)
    {
        ArgumentNullException.ThrowIfNull(virtualService);
        ArgumentNullException.ThrowIfNull(names);
        var spec = virtualService["spec"];
        var routes = (spec?["http"] as JsonArray ?? []).Concat(spec?["tcp"] as JsonArray ?? []).ToList();
        var weighted = routes.FirstOrDefault(r => (r?["route"] as JsonArray ?? []).Any(d => d?["headers"] is not null && Host(d) is { } host && (host == names.Canary || host == names.Primary)))
            ?? routes.FirstOrDefault(r => (r?["route"] as JsonArray ?? []).Any(d => Host(d) == names.Canary) && !IsCookieRoute(r));
        if (weighted is null)
        {
            return null;
        }

        int primary = 0, canary = 0;
        foreach (var destination in weighted["route"] as JsonArray ?? [])
        {
            var weight = (int?)destination?["weight"] ?? 0;
            if (Host(destination) == names.Primary)
            {
                primary = weight;
            }
            else if (Host(destination) == names.Canary)
            {
                canary = weight;
            }
        }

        var mirrored = !string.IsNullOrEmpty((string?)weighted["mirror"]?["host"]);
        return primary == 0 && canary == 0 ? null : new RouteState(primary, canary, mirrored);
    }

    /// <summary>
    /// Cross product of service (outer) and analysis (inner) matches; every field the analysis match sets replaces the
    /// service match's. Flagger's <c>mergeMatchConditions</c> takes only headers, sourceLabels and queryParams, so an A/B
    /// match's uri, method, port ... were dropped whenever <c>service.match</c> was set, widening the A/B audience.
    /// </summary>
    internal static JsonArray MergeMatches(IList<HttpMatchRequest> analysis, IList<HttpMatchRequest>? service)
    {
        var canaryMatches = (JsonArray)JsonNodes.FromApi(analysis)!;
        if (service is not { Count: > 0 })
        {
            return canaryMatches;
        }

        var merged = new JsonArray();
        foreach (var defaults in (JsonArray)JsonNodes.FromApi(service)!)
        {
            foreach (var match in canaryMatches)
            {
                var result = (JsonObject)defaults!.DeepClone();
                foreach (var (key, value) in (JsonObject)match!)
                {
                    result[key] = value?.DeepClone();
                }

                merged.Add(result);
            }
        }

        return merged;
    }

    /// <summary>
    /// Session affinity (Flagger's <c>getSessionAffinityRouteRules</c>): at a non-zero canary weight
    /// <c>[stickyCanary, (stickyPrimary), weighted]</c>, the weighted route's canary (and primary) destination adding
    /// <c>Set-Cookie</c>; at weight 0 <c>[expirePrevious, weighted]</c> when a previous cookie exists, else the weighted
    /// route alone. Sticky routes copy the weighted route's settings (not its mirror) and match the Cookie header.
    /// </summary>
    private static IEnumerable<JsonObject> StickyRoutes(CanaryResource canary, SessionAffinityCookies affinity, JsonObject weighted, RouteState routes)
    {
        var names = CanaryNames.Services(canary);
        var service = Service(canary);
        if (routes.CanaryWeight != 0 && affinity.Canary is { } cookie)
        {
            var destinations = (JsonArray)weighted["route"]!;
            AddResponseCookie(destinations.First(d => Host(d) == names.Canary)!.AsObject(), affinity.CanarySetCookie);
            var stickyCanary = StickyCopy(weighted, cookie, service);
            stickyCanary["route"] = new JsonArray { Destination(canary, names.Primary, 0), Destination(canary, names.Canary, 100) };
            yield return stickyCanary;
            if (affinity.Primary is { } primaryCookie)
            {
                AddResponseCookie(destinations.First(d => Host(d) == names.Primary)!.AsObject(), affinity.PrimarySetCookie);
                var stickyPrimary = StickyCopy(weighted, primaryCookie, service);
                stickyPrimary["route"] = new JsonArray { Destination(canary, names.Primary, 100), Destination(canary, names.Canary, 0) };
                yield return stickyPrimary;
            }
        }
        else if (routes.CanaryWeight == 0 && affinity.Previous is { } previous)
        {
            var expire = StickyCopy(weighted, previous, service);
            var headers = expire["headers"] as JsonObject ?? new JsonObject();
            var response = headers["response"] as JsonObject ?? new JsonObject();
            var add = response["add"] as JsonObject ?? new JsonObject();
            add[SessionAffinityCookies.SetCookieHeader] = affinity.ExpirePrevious;
            response["add"] = add;
            headers["response"] = response;
            expire["headers"] = headers;
            yield return expire;
        }

        yield return weighted;
    }

    private static JsonObject StickyCopy(JsonObject weighted, string cookie, CanaryService service)
    {
        var sticky = (JsonObject)weighted.DeepClone();
        sticky.Remove("mirror");
        sticky.Remove("mirrorPercentage");
        var cookieMatch = new HttpMatchRequest
        {
            Headers = new Dictionary<string, StringMatch>(StringComparer.Ordinal)
            {
                [SessionAffinityCookies.CookieHeader] = new StringMatch { Regex = SessionAffinityCookies.Regex(cookie) },
            },
        };
        sticky["match"] = MergeMatches([cookieMatch], service.Match);
        return sticky;
    }

    // headers.response.add replaced by the one Set-Cookie (Flagger assigns the map).
    private static void AddResponseCookie(JsonObject destination, string setCookie) =>
        destination["headers"] = new JsonObject
        {
            ["response"] = new JsonObject { ["add"] = new JsonObject { [SessionAffinityCookies.SetCookieHeader] = setCookie } },
        };

    private static bool IsCookieRoute(JsonNode? route) =>
        (route?["match"] as JsonArray ?? []).Any(m => m?["headers"]?[SessionAffinityCookies.CookieHeader]?["regex"] is not null);

    private static JsonObject HttpRoute(CanaryResource canary, JsonNode? match, int primaryWeight, int? canaryWeight)
    {
        var service = Service(canary);
        var names = CanaryNames.Services(canary);
        var route = new JsonObject();
        if (match is JsonArray { Count: > 0 })
        {
            route["match"] = match;
        }

        if (service.Rewrite is { } rewrite && Rewrite(rewrite) is { Count: > 0 } rewriteNode)
        {
            route["rewrite"] = rewriteNode;
        }

        SetIf(route, "timeout", string.IsNullOrEmpty(service.Timeout) ? null : JsonValue.Create(service.Timeout));
        SetIf(route, "retries", JsonNodes.FromApi(service.Retries));
        SetIf(route, "corsPolicy", JsonNodes.FromApi(service.CorsPolicy));
        SetIf(route, "headers", JsonNodes.FromApi(service.Headers));
        var destinations = new JsonArray { Destination(canary, names.Primary, primaryWeight) };
        if (canaryWeight is { } weight)
        {
            destinations.Add(Destination(canary, names.Canary, weight));
        }

        route["route"] = destinations;
        return route;
    }

    private static JsonObject TcpRoute(CanaryResource canary, RouteState routes)
    {
        var names = CanaryNames.Services(canary);
        var route = new JsonObject();
        var ports = (Service(canary).Match ?? []).Where(m => m.Port is not null).Select(m => (JsonNode?)new JsonObject { ["port"] = m.Port }).ToArray();
        if (ports.Length > 0)
        {
            route["match"] = new JsonArray(ports);
        }

        route["route"] = new JsonArray
        {
            Destination(canary, names.Primary, routes.PrimaryWeight),
            Destination(canary, names.Canary, routes.CanaryWeight),
        };
        return route;
    }

    // The port is pinned only when port discovery exposes several ports and the route is used through a gateway.
    private static JsonObject Destination(CanaryResource canary, string host, int weight)
    {
        var service = Service(canary);
        var destination = new JsonObject { ["host"] = host };
        var throughGateway = service.Gateways is { Count: > 0 } gateways && gateways[0] != "mesh";
        if (service.PortDiscovery == true && (throughGateway || service.Delegation == true))
        {
            destination["port"] = new JsonObject { ["number"] = service.Port };
        }

        var result = new JsonObject { ["destination"] = destination };
        if (weight != 0)
        {
            result["weight"] = weight;
        }

        return result;
    }

    private static JsonObject Rewrite(HttpRewrite rewrite)
    {
        var node = new JsonObject();
        SetIf(node, "uri", string.IsNullOrEmpty(rewrite.Uri) ? null : JsonValue.Create(rewrite.Uri));
        SetIf(node, "authority", string.IsNullOrEmpty(rewrite.Authority) ? null : JsonValue.Create(rewrite.Authority));
        return node;
    }

    private static string? Host(JsonNode? destination) => (string?)destination?["destination"]?["host"];

    private static void SetIf(JsonObject target, string key, JsonNode? value)
    {
        if (value is not null)
        {
            target[key] = value;
        }
    }

    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode?)v)]);

    private static CanaryService Service(CanaryResource canary) =>
        canary.Spec.Service ?? throw new TrafficRouterException($"canary {CanaryNames.Describe(canary)}: spec.service is required");
}
