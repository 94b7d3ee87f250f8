using System.Globalization;
using System.Text.Json.Nodes;
using Canary.Api.V1Beta1;
using Canary.Kubernetes.Json;
using Canary.Providers.Apply;
using Canary.Providers.Naming;
using Canary.Providers.Routing;

namespace Canary.Providers.Builders;

/// <summary>
/// Pure builders of the Gloo Edge objects (as fluxcd/flagger <c>pkg/router/gloo.go</c>): the Upstreams
/// <c>&lt;ns&gt;-&lt;apex&gt;-primaryupstream-&lt;port&gt;</c> and <c>…-canaryupstream-…</c> (gloo.solo.io/v1, a kube upstream
/// per Service, settings copied from <c>spec.upstreamRef</c>), and the RouteTable <c>&lt;apex&gt;</c> (gateway.solo.io/v1)
/// weighting them.
/// </summary>
/// <remarks>
/// The route inherits the path matchers of the user's VirtualService that delegates to it. A/B: one matcher per
/// <c>analysis.match</c> entry (Gloo ORs a route's matchers, as the Istio syntax means), with its headers (exact, regex;
/// a prefix or suffix as a regex), query parameters and method, then a second route sending the rest to the primary.
/// Flagger puts every entry into one matcher (so alternatives must all hold), matches a prefix or suffix header by
/// presence only, and has no second route, so unmatched requests found no route. A weight of 0 is left out, as Go's
/// <c>omitempty</c> writes it.
/// </remarks>
public static class GlooObjectsBuilder
{
    /// <summary>Fields of the config Upstream (<c>spec.upstreamRef</c>) that the generated ones copy, as Flagger.</summary>
    public static IReadOnlyList<string> CopiedUpstreamFields { get; } =
    [
        "labels", "sslConfig", "circuitBreakers", "connectionConfig", "loadBalancerConfig", "useHttp2",
        "initialStreamWindowSize", "initialConnectionWindowSize", "httpProxyHostName",
    ];

    /// <summary>Name of the generated Upstream for the primary (<paramref name="canary"/> false) or the canary.</summary>
    public static string UpstreamName(CanaryResource canary, bool forCanary) => string.Create(
        CultureInfo.InvariantCulture,
        $"{CanaryNames.Namespace(canary)}-{CanaryNames.Services(canary).Apex}-{(forCanary ? "canary" : "primary")}upstream-{canary.Spec.Service?.Port ?? 0}");

    /// <summary>The Upstream for <paramref name="serviceName"/> (selector <paramref name="selector"/>), with <paramref name="config"/>'s settings.</summary>
    public static JsonObject Upstream(CanaryResource canary, bool forCanary, string serviceName, JsonObject? selector, JsonObject? config)
    {
        ArgumentNullException.ThrowIfNull(canary);
        var spec = new JsonObject();
        foreach (var field in CopiedUpstreamFields)
        {
            if (config?["spec"]?[field] is { } value)
            {
                spec[field] = value.DeepClone();
            }
        }

        var kube = new JsonObject
        {
            ["serviceName"] = serviceName,
            ["serviceNamespace"] = CanaryNames.Namespace(canary),
            ["servicePort"] = canary.Spec.Service?.Port ?? 0,
        };
        if (selector is { Count: > 0 })
        {
            kube["selector"] = selector.DeepClone();
        }

        spec["kube"] = kube;
        return new JsonObject
        {
            ["apiVersion"] = RouterKinds.GlooUpstream.ApiVersion,
            ["kind"] = RouterKinds.GlooUpstream.Kind,
            ["metadata"] = new JsonObject
            {
                ["name"] = UpstreamName(canary, forCanary),
                ["namespace"] = CanaryNames.Namespace(canary),
                ["annotations"] = JsonNodes.Map(ObjectMetadata.Generated([])),
                ["ownerReferences"] = ObjectMetadata.OwnerReferencesJson(canary),
            },
            ["spec"] = spec,
        };
    }

    /// <summary>The complete RouteTable for <paramref name="routes"/>.</summary>
    public static JsonObject RouteTable(CanaryResource canary, RouteState routes)
    {
        ArgumentNullException.ThrowIfNull(canary);
        return new JsonObject
        {
            ["apiVersion"] = RouterKinds.GlooRouteTable.ApiVersion,
            ["kind"] = RouterKinds.GlooRouteTable.Kind,
            ["metadata"] = ObjectMetadata.ApexObject(canary, CanaryNames.Services(canary).Apex, CanaryNames.Namespace(canary)),
            ["spec"] = RouteTableSpec(canary, routes),
        };
    }

    /// <summary>The RouteTable's spec: the weighted route (header-matched for A/B, then the rest to the primary).</summary>
    public static JsonObject RouteTableSpec(CanaryResource canary, RouteState routes)
    {
        ArgumentNullException.ThrowIfNull(canary);
        if (canary.Spec.Analysis?.Match is not { Count: > 0 } matches)
        {
            return new JsonObject { ["routes"] = new JsonArray(Route(canary, null, routes)) };
        }

        var matchers = new JsonArray([.. matches.Select(m => (JsonNode)Matcher(m))]);
        return new JsonObject { ["routes"] = new JsonArray(Route(canary, matchers, routes), Route(canary, null, RouteState.AllPrimary)) };
    }

    /// <summary>The split of the first route (the primary's weight, canary = 100 − primary, as Flagger reads it), or null.</summary>
    public static RouteState? ReadRoutes(CanaryResource canary, JsonObject routeTable)
    {
        ArgumentNullException.ThrowIfNull(canary);
        ArgumentNullException.ThrowIfNull(routeTable);
        var destinations = routeTable["spec"]?["routes"]?[0]?["routeAction"]?["multi"]?["destinations"] as JsonArray;
        if (destinations is not { Count: >= 2 })
        {
            return null;
        }

        var primary = destinations.FirstOrDefault(d => (string?)d?["destination"]?["upstream"]?["name"] == UpstreamName(canary, forCanary: false));
        if (primary is null)
        {
            return null;
        }

        var weight = Math.Clamp((int?)primary["weight"] ?? 0, 0, 100);
        return new RouteState(weight, 100 - weight, false);
    }

    private static JsonObject Route(CanaryResource canary, JsonArray? matchers, RouteState routes)
    {
        var route = new JsonObject();
        if (matchers is not null)
        {
            route["matchers"] = matchers;
        }

        route["inheritablePathMatchers"] = true;
        route["routeAction"] = new JsonObject
        {
            ["multi"] = new JsonObject
            {
                ["destinations"] = new JsonArray(
                    Destination(canary, UpstreamName(canary, forCanary: false), routes.PrimaryWeight),
                    Destination(canary, UpstreamName(canary, forCanary: true), routes.CanaryWeight)),
            },
        };
        return route;
    }

    private static JsonObject Destination(CanaryResource canary, string upstream, int weight)
    {
        var destination = new JsonObject
        {
            ["destination"] = new JsonObject { ["upstream"] = new JsonObject { ["name"] = upstream, ["namespace"] = CanaryNames.Namespace(canary) } },
        };
        if (weight > 0)
        {
            destination["weight"] = weight;
        }

        return destination;
    }

    private static JsonObject Matcher(HttpMatchRequest match)
    {
        var matcher = new JsonObject();
        if (match.Headers is { Count: > 0 } headers)
        {
            matcher["headers"] = new JsonArray([.. headers.OrderBy(h => h.Key, StringComparer.Ordinal).Select(h => (JsonNode)Value(h.Key, h.Value))]);
        }

        if (match.QueryParams is { Count: > 0 } query)
        {
            matcher["queryParameters"] = new JsonArray([.. query.OrderBy(q => q.Key, StringComparer.Ordinal).Select(q => (JsonNode)Value(q.Key, q.Value))]);
        }

        if (match.Method?.Exact is { Length: > 0 } method)
        {
            matcher["methods"] = new JsonArray(method);
        }

        return matcher;
    }

    // Gloo matches a value exactly, or by a full RE2 regex: a prefix or suffix becomes one.
    private static JsonObject Value(string name, StringMatch match) => match switch
    {
        { Exact: { Length: > 0 } exact } => new JsonObject { ["name"] = name, ["value"] = exact },
        { Regex: { Length: > 0 } regex } => new JsonObject { ["name"] = name, ["value"] = regex, ["regex"] = true },
        { Prefix: { Length: > 0 } prefix } => new JsonObject { ["name"] = name, ["value"] = Re2Literal(prefix) + ".*", ["regex"] = true },
        { Suffix: { Length: > 0 } suffix } => new JsonObject { ["name"] = name, ["value"] = ".*" + Re2Literal(suffix), ["regex"] = true },
        _ => new JsonObject { ["name"] = name },
    };

    // RE2 (Envoy's regex engine) rejects escapes of characters that are not special, so only those are escaped.
    private static string Re2Literal(string text) => string.Concat(text.Select(c => @"\.+*?()|[]{}^$".Contains(c, StringComparison.Ordinal) ? "\\" + c : c.ToString()));
}
