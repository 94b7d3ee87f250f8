using System.Text.Json.Nodes;
using Canary.Api.Defaults;
using Canary.Api.V1Beta1;
using Canary.Kubernetes.Json;
using Canary.Kubernetes.Resources;
using Canary.Providers.Apply;
using Canary.Providers.Naming;
using Canary.Providers.Routing;

namespace Canary.Providers.Builders;

/// <summary>
/// Pure builder of the Gateway API HTTPRoute <c>&lt;apex&gt;</c> (as fluxcd/flagger <c>pkg/router/gateway_api.go</c>), and
/// the reader of the traffic split back out of it.
/// </summary>
/// <remarks>
/// Divergences: parentRefs are written with their defaults (group <c>gateway.networking.k8s.io</c>, kind
/// <c>Gateway</c>) so the object read back equals the one written and reconciles do not rewrite it forever;
/// headers/queryParams of a match are sorted by name; CORS maps only exact origins. Session affinity
/// (<see cref="StickyRules"/>) follows Flagger's rules with the cookies the engine put in the status; the cookie matches
/// keep the service's path matches (default <c>PathPrefix /</c>) so the route reads back as written.
/// </remarks>
public static class HttpRouteBuilder
{
    private const string GatewayGroup = "gateway.networking.k8s.io";

    /// <summary>The complete HTTPRoute for <paramref name="routes"/> (apiVersion from <paramref name="resource"/>).</summary>
    public static JsonObject Build(CanaryResource canary, ResourceKind resource, RouteState routes)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return Build(canary, resource, routes, PrimaryCookieSupported(resource));
    }

    /// <summary>Flagger writes the primary session affinity cookie on <c>gateway.networking.k8s.io/v1</c> routes only.</summary>
    public static bool PrimaryCookieSupported(ResourceKind resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return resource.ApiVersion.EndsWith("/v1", StringComparison.Ordinal);
    }

    private static JsonObject Build(CanaryResource canary, ResourceKind resource, RouteState routes, bool primaryCookie)
    {
        ArgumentNullException.ThrowIfNull(canary);
        ArgumentNullException.ThrowIfNull(resource);
        var metadata = ObjectMetadata.ApexObject(canary, CanaryNames.Services(canary).Apex, CanaryNames.Namespace(canary));
        return new JsonObject
        {
            ["apiVersion"] = resource.ApiVersion,
            ["kind"] = resource.Kind,
            ["metadata"] = metadata,
            ["spec"] = Spec(canary, routes, primaryCookie),
        };
    }

    /// <summary>
    /// The HTTPRoute spec: parentRefs, hostnames, and the weighted rule (plus the primary-only rule for A/B, or the session
    /// affinity rules; <paramref name="primaryCookie"/> false leaves out the primary cookie, as Flagger's v1beta1 router).
    /// </summary>
    public static JsonObject Spec(CanaryResource canary, RouteState routes, bool primaryCookie = true)
    {
        ArgumentNullException.ThrowIfNull(canary);
        var service = canary.Spec.Service ?? throw new TrafficRouterException($"canary {CanaryNames.Describe(canary)}: spec.service is required");
        if (service.GatewayRefs is not { Count: > 0 })
        {
            throw new TrafficRouterException(
                $"canary {CanaryNames.Describe(canary)}: spec.service.gatewayRefs must be specified when using Gateway API as a provider");
        }

        var port = service.Port ?? throw new TrafficRouterException($"canary {CanaryNames.Describe(canary)}: spec.service.port is required");
        var names = CanaryNames.Services(canary);
        var analysis = canary.Spec.EffectiveAnalysis();
        var serviceMatches = GatewayApiMatches.Map(service.Match);
        if (serviceMatches.Count == 0)
        {
            serviceMatches = GatewayApiMatches.Default();
        }

        var weighted = Rule(service, serviceMatches, Backend(names.Primary, port, routes.PrimaryWeight), Backend(names.Canary, port, routes.CanaryWeight));
        if (routes.Mirrored && analysis?.Iterations is > 0)
        {
            // Blue/green mirroring only: the canary strategy has no mirror step on Gateway API (Flagger's rule).
            if (weighted["filters"] is not JsonArray filters)
            {
                filters = [];
                weighted["filters"] = filters;
            }

            filters.Add(GatewayApiFilters.MirrorTo(names.Canary, port));
        }

        var rules = new JsonArray();
        if (analysis?.Match is { Count: > 0 } abMatch)
        {
            weighted["matches"] = GatewayApiMatches.Merge(GatewayApiMatches.Map(abMatch), serviceMatches);
            rules.Add(weighted);
            rules.Add(Rule(service, serviceMatches, Backend(names.Primary, port, 100)));
        }
        else if (SessionAffinityCookies.For(canary) is { } affinity)
        {
            foreach (var rule in StickyRules(names, port, affinity with { Primary = primaryCookie ? affinity.Primary : null }, weighted, serviceMatches, routes))
            {
                rules.Add(rule);
            }
        }
        else
        {
            rules.Add(weighted);
        }

        var spec = new JsonObject { ["parentRefs"] = ParentRefs(service.GatewayRefs) };
        if (service.Hosts is { Count: > 0 } hosts)
        {
            spec["hostnames"] = new JsonArray([.. hosts.Select(h => (JsonNode?)h)]);
        }

        spec["rules"] = rules;
        return spec;
    }

    /// <summary>
    /// Weights and mirroring as written by <see cref="Spec"/>: weights from the rule with exactly two backendRefs,
    /// mirrored when a rule mirrors to the canary Service. Null when the route has no such rule.
    /// </summary>
    public static RouteState? ReadRoutes(JsonObject route, ServiceNames names)
    {
        ArgumentNullException.ThrowIfNull(route);
        ArgumentNullException.ThrowIfNull(names);
        int? primary = null, canary = null;
        var mirrored = false;
        var rules = route["spec"]?["rules"] as JsonArray ?? [];

        // Session affinity: only the rule whose backends set cookies is weighted (the sticky rules are 0/100 and 100/0).
        var cookieRule = rules.FirstOrDefault(r => (r?["backendRefs"] as JsonArray ?? []).Any(b => b?["filters"] is JsonArray { Count: > 0 }));
        foreach (var rule in rules)
        {
            if (rule?["backendRefs"] is JsonArray { Count: 2 } backends && (cookieRule is null || rule == cookieRule))
            {
                foreach (var backend in backends)
                {
                    var weight = (int?)backend?["weight"] ?? 1;
                    var name = (string?)backend?["name"];
                    if (name == names.Primary)
                    {
                        primary = weight;
                    }
                    else if (name == names.Canary)
                    {
                        canary = weight;
                    }
                }
            }

            mirrored |= (rule?["filters"] as JsonArray ?? []).Any(f =>
                (string?)f?["type"] == "RequestMirror" && (string?)f?["requestMirror"]?["backendRef"]?["name"] == names.Canary);
        }

        return primary is null || canary is null ? null : new RouteState(primary.Value, canary.Value, mirrored);
    }

    /// <summary>
    /// Session affinity (Flagger's <c>getSessionAffinityRouteRules</c>): at a non-zero canary weight
    /// <c>[stickyCanary, (stickyPrimary), weighted]</c>, the weighted rule's canary (and primary) backend adding
    /// <c>Set-Cookie</c> with a ResponseHeaderModifier filter; at weight 0 <c>[expirePrevious, weighted]</c> when a previous
    /// cookie exists, else the weighted rule alone. Sticky rules copy the weighted rule (not its mirror filter) and match
    /// the Cookie header by regular expression.
    /// </summary>
    private static IEnumerable<JsonObject> StickyRules(
        ServiceNames names, int port, SessionAffinityCookies affinity, JsonObject weighted, JsonArray serviceMatches, RouteState routes)
    {
        if (routes.CanaryWeight != 0 && affinity.Canary is { } cookie)
        {
            var backends = (JsonArray)weighted["backendRefs"]!;
            backends.First(b => (string?)b?["name"] == names.Canary)!["filters"] = new JsonArray { SetCookieFilter(affinity.CanarySetCookie) };
            var stickyCanary = StickyCopy(weighted, cookie, serviceMatches);
            stickyCanary["backendRefs"] = new JsonArray { Backend(names.Primary, port, 0), Backend(names.Canary, port, 100) };
            yield return stickyCanary;
            if (affinity.Primary is { } primaryCookie)
            {
                backends.First(b => (string?)b?["name"] == names.Primary)!["filters"] = new JsonArray { SetCookieFilter(affinity.PrimarySetCookie) };
                var stickyPrimary = StickyCopy(weighted, primaryCookie, serviceMatches);
                stickyPrimary["backendRefs"] = new JsonArray { Backend(names.Primary, port, 100), Backend(names.Canary, port, 0) };
                yield return stickyPrimary;
            }
        }
        else if (routes.CanaryWeight == 0 && affinity.Previous is { } previous)
        {
            var expire = StickyCopy(weighted, previous, serviceMatches);
            if (expire["filters"] is not JsonArray filters)
            {
                filters = [];
                expire["filters"] = filters;
            }

            // One ResponseHeaderModifier per rule (the API refuses repeats): join service.headers' one when there is one.
            if (filters.FirstOrDefault(f => (string?)f?["type"] == "ResponseHeaderModifier") is JsonObject modifier)
            {
                var header = JsonNodes.ChildObject(modifier, "responseHeaderModifier");
                if (header["add"] is not JsonArray add)
                {
                    add = [];
                    header["add"] = add;
                }

                add.Add(new JsonObject { ["name"] = SessionAffinityCookies.SetCookieHeader, ["value"] = affinity.ExpirePrevious });
            }
            else
            {
                filters.Add(SetCookieFilter(affinity.ExpirePrevious));
            }

            yield return expire;
        }

        yield return weighted;
    }

    private static JsonObject StickyCopy(JsonObject weighted, string cookie, JsonArray serviceMatches)
    {
        var sticky = (JsonObject)weighted.DeepClone();
        if (sticky["filters"] is JsonArray filters)
        {
            foreach (var mirror in filters.Where(f => (string?)f?["type"] == "RequestMirror").ToList())
            {
                filters.Remove(mirror);
            }

            if (filters.Count == 0)
            {
                sticky.Remove("filters");
            }
        }

        var cookieMatch = new JsonObject
        {
            ["headers"] = new JsonArray
            {
                new JsonObject
                {
                    ["name"] = SessionAffinityCookies.CookieHeader,
                    ["type"] = "RegularExpression",
                    ["value"] = SessionAffinityCookies.Regex(cookie),
                },
            },
        };
        sticky["matches"] = GatewayApiMatches.Merge([cookieMatch], serviceMatches);
        return sticky;
    }

    private static JsonObject SetCookieFilter(string value) => new()
    {
        ["type"] = "ResponseHeaderModifier",
        ["responseHeaderModifier"] = new JsonObject
        {
            ["add"] = new JsonArray { new JsonObject { ["name"] = SessionAffinityCookies.SetCookieHeader, ["value"] = value } },
        },
    };

    /// <summary>A core Service backend reference (group "", kind Service).</summary>
    internal static JsonObject ServiceRef(string name, int port) => new()
    {
        ["group"] = string.Empty,
        ["kind"] = "Service",
        ["name"] = name,
        ["port"] = port,
    };

    private static JsonObject Backend(string name, int port, int weight)
    {
        var backend = ServiceRef(name, port);
        backend["weight"] = weight;
        return backend;
    }

    private static JsonObject Rule(CanaryService service, JsonArray matches, params JsonObject[] backends)
    {
        var rule = new JsonObject { ["matches"] = matches.DeepClone() };
        if (GatewayApiFilters.For(service) is { Count: > 0 } filters)
        {
            rule["filters"] = filters;
        }

        rule["backendRefs"] = new JsonArray([.. backends]);
        var timeouts = new JsonObject();
        if (!string.IsNullOrEmpty(service.Timeout))
        {
            timeouts["request"] = service.Timeout;
        }

        if (!string.IsNullOrEmpty(service.BackendTimeout))
        {
            timeouts["backendRequest"] = service.BackendTimeout;
        }

        if (timeouts.Count > 0)
        {
            rule["timeouts"] = timeouts;
        }

        return rule;
    }

    private static JsonArray ParentRefs(IEnumerable<ParentReference> refs)
    {
        var result = new JsonArray();
        foreach (var parent in refs)
        {
            var node = new JsonObject
            {
                ["group"] = parent.Group ?? GatewayGroup,
                ["kind"] = parent.Kind ?? "Gateway",
                ["name"] = parent.Name ?? throw new TrafficRouterException("spec.service.gatewayRefs[].name is required"),
            };
            if (!string.IsNullOrEmpty(parent.Namespace))
            {
                node["namespace"] = parent.Namespace;
            }

            if (!string.IsNullOrEmpty(parent.SectionName))
            {
                node["sectionName"] = parent.SectionName;
            }

            if (parent.Port is { } port)
            {
                node["port"] = port;
            }

            result.Add(node);
        }

        return result;
    }
}
