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
/// headers/queryParams of a match are sorted by name; CORS maps only exact origins. Session affinity is not
/// implemented yet.
/// </remarks>
public static class HttpRouteBuilder
{
    private const string GatewayGroup = "gateway.networking.k8s.io";

    /// <summary>The complete HTTPRoute for <paramref name="routes"/> (apiVersion from <paramref name="resource"/>).</summary>
    public static JsonObject Build(CanaryResource canary, ResourceKind resource, RouteState routes)
    {
        ArgumentNullException.ThrowIfNull(canary);
        ArgumentNullException.ThrowIfNull(resource);
        var apex = canary.Spec.Service?.Apex;
        var metadata = new JsonObject
        {
            ["name"] = CanaryNames.Services(canary).Apex,
            ["namespace"] = CanaryNames.Namespace(canary),
        };
        if (ObjectMetadata.Labels(apex) is { Count: > 0 } labels)
        {
            metadata["labels"] = JsonNodes.Map(labels);
        }

        if (ObjectMetadata.Annotations(apex) is { Count: > 0 } annotations)
        {
            metadata["annotations"] = JsonNodes.Map(annotations);
        }

        metadata["ownerReferences"] = ObjectMetadata.OwnerReferencesJson(canary);
        return new JsonObject
        {
            ["apiVersion"] = resource.ApiVersion,
            ["kind"] = resource.Kind,
            ["metadata"] = metadata,
            ["spec"] = Spec(canary, routes),
        };
    }

    /// <summary>The HTTPRoute spec: parentRefs, hostnames, and the weighted rule (plus the primary-only rule for A/B).</summary>
    public static JsonObject Spec(CanaryResource canary, RouteState routes)
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

        var rules = new JsonArray { weighted };
        if (analysis?.Match is { Count: > 0 } abMatch)
        {
            weighted["matches"] = GatewayApiMatches.Merge(GatewayApiMatches.Map(abMatch), serviceMatches);
            rules.Add(Rule(service, serviceMatches, Backend(names.Primary, port, 100)));
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
        foreach (var rule in route["spec"]?["rules"] as JsonArray ?? [])
        {
            if (rule?["backendRefs"] is JsonArray { Count: 2 } backends)
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
