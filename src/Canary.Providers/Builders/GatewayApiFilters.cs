using System.Text.Json.Nodes;
using Canary.Api.Durations;
using Canary.Api.V1Beta1;
using Canary.Kubernetes.Json;
using Canary.Providers.Apply;
using Canary.Providers.Routing;

namespace Canary.Providers.Builders;

/// <summary>The route-level filters generated from <c>spec.service</c> (Flagger's <c>makeFilters</c>, plus CORS).</summary>
internal static class GatewayApiFilters
{
    /// <summary>Request/ResponseHeaderModifier, URLRewrite, the static RequestMirrors and CORS, in that order.</summary>
    public static JsonArray For(CanaryService service)
    {
        var filters = new JsonArray();
        if (service.Headers?.Request is { } request)
        {
            filters.Add(new JsonObject { ["type"] = "RequestHeaderModifier", ["requestHeaderModifier"] = HeaderFilter(request) });
        }

        if (service.Headers?.Response is { } response)
        {
            filters.Add(new JsonObject { ["type"] = "ResponseHeaderModifier", ["responseHeaderModifier"] = HeaderFilter(response) });
        }

        if (service.Rewrite is { } rewrite)
        {
            filters.Add(new JsonObject { ["type"] = "URLRewrite", ["urlRewrite"] = UrlRewrite(rewrite) });
        }

        foreach (var mirror in service.Mirror ?? [])
        {
            filters.Add(new JsonObject { ["type"] = "RequestMirror", ["requestMirror"] = JsonNodes.FromApi(mirror) });
        }

        if (service.CorsPolicy is { } cors)
        {
            filters.Add(new JsonObject { ["type"] = "CORS", ["cors"] = Cors(cors) });
        }

        return filters;
    }

    /// <summary>The B/G mirroring filter: shadow every request to the canary Service.</summary>
    public static JsonObject MirrorTo(string canaryService, int port) => new()
    {
        ["type"] = "RequestMirror",
        ["requestMirror"] = new JsonObject { ["backendRef"] = HttpRouteBuilder.ServiceRef(canaryService, port) },
    };

    // Entries sorted by name (then value) so a spec built twice is identical (Flagger's sortFiltersV1).
    private static JsonObject HeaderFilter(HeaderOperationSet operations)
    {
        var filter = new JsonObject();
        if (Headers(operations.Set) is { } set)
        {
            filter["set"] = set;
        }

        if (Headers(operations.Add) is { } add)
        {
            filter["add"] = add;
        }

        if (operations.Remove is { Count: > 0 } remove)
        {
            filter["remove"] = new JsonArray([.. remove.Select(r => (JsonNode?)r)]);
        }

        return filter;
    }

    private static JsonArray? Headers(IDictionary<string, string>? headers) => headers is not { Count: > 0 }
        ? null
        : new JsonArray([.. headers.OrderBy(h => h.Key, StringComparer.Ordinal).ThenBy(h => h.Value, StringComparer.Ordinal)
            .Select(h => (JsonNode?)new JsonObject { ["name"] = h.Key, ["value"] = h.Value })]);

    // type ReplacePrefixMatch rewrites the matched prefix; anything else replaces the full path (Flagger's GetType()).
    private static JsonObject UrlRewrite(HttpRewrite rewrite)
    {
        var filter = new JsonObject();
        if (!string.IsNullOrEmpty(rewrite.Authority))
        {
            filter["hostname"] = rewrite.Authority;
        }

        if (!string.IsNullOrEmpty(rewrite.Uri))
        {
            filter["path"] = rewrite.Type == "ReplacePrefixMatch"
                ? new JsonObject { ["type"] = "ReplacePrefixMatch", ["replacePrefixMatch"] = rewrite.Uri }
                : new JsonObject { ["type"] = "ReplaceFullPath", ["replaceFullPath"] = rewrite.Uri };
        }

        return filter;
    }

    // Gateway API HTTPCORSFilter (v1.2+): origins are absolute URIs or wildcards, so only exact Istio origins map.
    private static JsonObject Cors(CorsPolicy cors)
    {
        var filter = new JsonObject();
        var origins = (cors.AllowOrigin ?? []).Concat((cors.AllowOrigins ?? []).Select(o => o.Exact is { Length: > 0 } exact
            ? exact
            : throw new TrafficRouterException("Gateway API CORS supports only exact allowOrigins (no prefix or regex)"))).ToList();
        AddList(filter, "allowOrigins", origins);
        AddList(filter, "allowMethods", cors.AllowMethods);
        AddList(filter, "allowHeaders", cors.AllowHeaders);
        AddList(filter, "exposeHeaders", cors.ExposeHeaders);
        if (!string.IsNullOrEmpty(cors.MaxAge))
        {
            filter["maxAge"] = GoDuration.TryParse(cors.MaxAge, out var maxAge)
                ? (int)maxAge.TotalSeconds
                : throw new TrafficRouterException($"corsPolicy.maxAge '{cors.MaxAge}' is not a duration");
        }

        if (cors.AllowCredentials is { } credentials)
        {
            filter["allowCredentials"] = credentials;
        }

        return filter;
    }

    private static void AddList(JsonObject target, string key, IEnumerable<string>? values)
    {
        if (values?.ToList() is { Count: > 0 } list)
        {
            target[key] = new JsonArray([.. list.Select(v => (JsonNode?)v)]);
        }
    }
}
