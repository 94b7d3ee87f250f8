using System.Text.Json.Nodes;
using Canary.Kubernetes.Resources;
using Canary.Providers.Apply;
using Canary.Providers.Naming;
using Canary.Providers.Routing;

namespace Canary.Providers.Builders;

/// <summary>
/// Pure builder of the Traefik TraefikService <c>&lt;apex&gt;</c> (traefik.io/v1alpha1 or traefik.containo.us/v1alpha1,
/// as fluxcd/flagger <c>pkg/router/traefik.go</c>), and the reader of the split back out of it.
/// </summary>
/// <remarks>
/// <c>spec.weighted.services</c>: the primary Service with its weight, then the canary Service only while its weight is
/// above 0, both on <c>service.port</c> in the Canary's namespace. The user's IngressRoute sends traffic to the
/// TraefikService (<c>kind: TraefikService</c>), as in Flagger's Traefik tutorial. <c>service.apex</c> metadata goes on
/// the object.
/// </remarks>
public static class TraefikServiceBuilder
{
    /// <summary>The complete TraefikService for <paramref name="routes"/> in <paramref name="resource"/>'s group.</summary>
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

    /// <summary>The spec: weighted round robin over the primary and (when it has a share) the canary.</summary>
    public static JsonObject Spec(CanaryResource canary, RouteState routes)
    {
        ArgumentNullException.ThrowIfNull(canary);
        var names = CanaryNames.Services(canary);
        var services = new JsonArray(Backend(canary, names.Primary, routes.PrimaryWeight));
        if (routes.CanaryWeight > 0)
        {
            services.Add(Backend(canary, names.Canary, routes.CanaryWeight));
        }

        return new JsonObject { ["weighted"] = new JsonObject { ["services"] = services } };
    }

    /// <summary>
    /// The split: the primary's weight, the canary getting the rest of 100 (Flagger's reading; the canary is absent at
    /// weight 0), or null when the primary is not among the services.
    /// </summary>
    public static RouteState? ReadRoutes(JsonObject service, ServiceNames names)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(names);
        var primary = (service["spec"]?["weighted"]?["services"] as JsonArray ?? []).FirstOrDefault(s => (string?)s?["name"] == names.Primary);
        if (primary is null)
        {
            return null;
        }

        var weight = Math.Clamp((int?)primary["weight"] ?? 0, 0, 100);
        return new RouteState(weight, 100 - weight, false);
    }

    private static JsonObject Backend(CanaryResource canary, string name, int weight) => new()
    {
        ["name"] = name,
        ["namespace"] = CanaryNames.Namespace(canary),
        ["port"] = canary.Spec.Service?.Port ?? 0,
        ["weight"] = weight,
    };
}
