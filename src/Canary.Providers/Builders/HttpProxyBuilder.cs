using System.Globalization;
using System.Text.Json.Nodes;
using Canary.Api.V1Beta1;
using Canary.Kubernetes.Resources;
using Canary.Providers.Apply;
using Canary.Providers.Naming;
using Canary.Providers.Routing;

namespace Canary.Providers.Builders;

/// <summary>
/// Pure builder of the Contour HTTPProxy <c>&lt;apex&gt;</c> (projectcontour.io/v1, as fluxcd/flagger
/// <c>pkg/router/contour.go</c>), and the reader of the split back out of it.
/// </summary>
/// <remarks>
/// One route with the primary and canary Services weighted (each with Linkerd's <c>l5d-dst-override</c> header, as
/// Flagger), on the prefix of <c>service.match[0].uri.prefix</c> (default <c>/</c>); <c>service.timeout</c> becomes
/// <c>timeoutPolicy {response, idle: 5m}</c> and <c>service.retries</c> <c>retryPolicy {count, perTryTimeout}</c>
/// (plus <c>retryOn</c>, which Flagger drops). A/B: one route per <c>analysis.match</c> entry, its headers as conditions
/// (exact, or <c>contains</c> for a prefix or suffix, as Flagger), sends matching requests by the weights, and a last
/// route sends the rest to the primary. Flagger puts every entry's headers into one route, so two alternative matches
/// (ORed in the Istio syntax the API uses) become one condition that needs both. A header regex cannot be expressed in
/// Contour and is an error (Flagger writes an empty condition that matches every request).
/// </remarks>
public static class HttpProxyBuilder
{
    /// <summary>The complete HTTPProxy for <paramref name="routes"/>.</summary>
    public static JsonObject Build(CanaryResource canary, ResourceKind resource, RouteState routes)
    {
        ArgumentNullException.ThrowIfNull(canary);
        ArgumentNullException.ThrowIfNull(resource);
        return new JsonObject
        {
            ["apiVersion"] = resource.ApiVersion,
            ["kind"] = resource.Kind,
            ["metadata"] = ObjectMetadata.ApexObject(canary, CanaryNames.Services(canary).Apex, CanaryNames.Namespace(canary)),
            ["spec"] = Spec(canary, routes),
        };
    }

    /// <summary>The spec: the weighted route, preceded by the header-matched one for A/B.</summary>
    public static JsonObject Spec(CanaryResource canary, RouteState routes)
    {
        ArgumentNullException.ThrowIfNull(canary);
        var prefix = canary.Spec.Service?.Match?.FirstOrDefault()?.Uri?.Prefix is { Length: > 0 } p ? p : "/";
        var weighted = new JsonArray(new JsonObject { ["prefix"] = prefix });
        if (canary.Spec.Analysis?.Match is not { Count: > 0 } matches)
        {
            return new JsonObject { ["routes"] = new JsonArray(Route(canary, weighted, routes)) };
        }

        // One route per match entry (its headers ANDed), then the rest to the primary: entries are alternatives.
        var abRoutes = matches.Select(m => (JsonNode)Route(canary, new JsonArray([.. (m.Headers ?? new Dictionary<string, StringMatch>())
            .OrderBy(h => h.Key, StringComparer.Ordinal)
            .Select(h => (JsonNode)new JsonObject { ["prefix"] = prefix, ["header"] = HeaderCondition(h.Key, h.Value) })]), routes));
        return new JsonObject { ["routes"] = new JsonArray([.. abRoutes, Route(canary, weighted, RouteState.AllPrimary)]) };
    }

    /// <summary>The split of the first route (Flagger reads the primary's weight; canary = 100 − primary), or null.</summary>
    public static RouteState? ReadRoutes(JsonObject proxy, ServiceNames names)
    {
        ArgumentNullException.ThrowIfNull(proxy);
        ArgumentNullException.ThrowIfNull(names);
        var services = proxy["spec"]?["routes"]?[0]?["services"] as JsonArray;
        if (services is not { Count: >= 2 })
        {
            return null;
        }

        var primary = services.FirstOrDefault(s => (string?)s?["name"] == names.Primary);
        var canary = services.FirstOrDefault(s => (string?)s?["name"] == names.Canary);
        return primary is null || canary is null ? null : new RouteState((int?)primary["weight"] ?? 0, (int?)canary["weight"] ?? 0, false);
    }

    private static JsonObject Route(CanaryResource canary, JsonArray conditions, RouteState routes)
    {
        var names = CanaryNames.Services(canary);
        var route = new JsonObject { ["conditions"] = conditions };
        var service = canary.Spec.Service;
        if (service?.Timeout is { Length: > 0 } timeout)
        {
            route["timeoutPolicy"] = new JsonObject { ["response"] = timeout, ["idle"] = "5m" };
        }

        if (service?.Retries is { } retries)
        {
            var policy = new JsonObject { ["count"] = retries.Attempts ?? 0 };
            if (retries.PerTryTimeout is { Length: > 0 } perTry)
            {
                policy["perTryTimeout"] = perTry;
            }

            if (retries.RetryOn is { Length: > 0 } retryOn)
            {
                policy["retryOn"] = new JsonArray([.. retryOn.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(r => (JsonNode)r)]);
            }

            route["retryPolicy"] = policy;
        }

        route["services"] = new JsonArray(Backend(canary, names.Primary, routes.PrimaryWeight), Backend(canary, names.Canary, routes.CanaryWeight));
        return route;
    }

    private static JsonObject Backend(CanaryResource canary, string name, int weight)
    {
        var port = canary.Spec.Service?.Port ?? 0;
        return new JsonObject
        {
            ["name"] = name,
            ["port"] = port,
            ["weight"] = weight,
            ["requestHeadersPolicy"] = new JsonObject
            {
                ["set"] = new JsonArray(new JsonObject
                {
                    ["name"] = "l5d-dst-override",
                    ["value"] = string.Create(CultureInfo.InvariantCulture, $"{name}.{CanaryNames.Namespace(canary)}.svc.cluster.local:{port}"),
                }),
            },
        };
    }

    private static JsonObject HeaderCondition(string name, StringMatch match) => match switch
    {
        { Exact: { Length: > 0 } exact } => new JsonObject { ["name"] = name, ["exact"] = exact },
        { Prefix: { Length: > 0 } prefix } => new JsonObject { ["name"] = name, ["contains"] = prefix },
        { Suffix: { Length: > 0 } suffix } => new JsonObject { ["name"] = name, ["contains"] = suffix },
        _ => throw new TrafficRouterException($"contour cannot match header {name} by regex (spec.analysis.match): use exact, prefix or suffix"),
    };
}
