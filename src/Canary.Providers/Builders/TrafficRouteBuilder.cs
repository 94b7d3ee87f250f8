using System.Globalization;
using System.Text.Json.Nodes;
using Canary.Kubernetes.Json;
using Canary.Providers.Apply;
using Canary.Providers.Naming;
using Canary.Providers.Routing;

namespace Canary.Providers.Builders;

/// <summary>
/// Pure builder of the Kuma TrafficRoute (kuma.io/v1alpha1, cluster-scoped, as fluxcd/flagger <c>pkg/router/kuma.go</c>),
/// and the reader of the split back out of it.
/// </summary>
/// <remarks>
/// From every source (<c>kuma.io/service: "*"</c>) to the apex service <c>&lt;apex&gt;_&lt;ns&gt;_svc_&lt;port&gt;</c>, split
/// between <c>&lt;apex&gt;-primary_…</c> and <c>&lt;apex&gt;-canary_…</c> by weight; <c>mesh</c> from the Canary's
/// <c>kuma.io/mesh</c> annotation (default <c>default</c>). Named <c>&lt;apex&gt;.&lt;ns&gt;</c>: the object is
/// cluster-wide, and Flagger's <c>&lt;apex&gt;</c> makes two Canaries of the same name in different namespaces fight over
/// one route (Services and namespaces cannot contain dots, so the name is unique). No owner reference (a cluster-scoped
/// object cannot have a namespaced owner: Kubernetes would never collect it); <see cref="OwnerAnnotation"/> says whose it
/// is instead. Without <c>service.apex</c> annotations it carries <c>&lt;port&gt;.service.kuma.io: http</c>, as Flagger's.
/// </remarks>
public static class TrafficRouteBuilder
{
    /// <summary>The Canary (<c>&lt;namespace&gt;/&lt;name&gt;</c>) a TrafficRoute belongs to.</summary>
    public const string OwnerAnnotation = "canary.dev/canary";

    /// <summary>The Canary annotation naming the Kuma mesh.</summary>
    public const string MeshAnnotation = "kuma.io/mesh";

    private const string ServiceTag = "kuma.io/service";

    /// <summary>The TrafficRoute's name: <c>&lt;apex&gt;.&lt;namespace&gt;</c>.</summary>
    public static string Name(CanaryResource canary) => $"{CanaryNames.Services(canary).Apex}.{CanaryNames.Namespace(canary)}";

    /// <summary>The owner annotation's value for <paramref name="canary"/>.</summary>
    public static string Owner(CanaryResource canary) => $"{CanaryNames.Namespace(canary)}/{canary.Metadata.Name}";

    /// <summary>The complete TrafficRoute for <paramref name="routes"/>.</summary>
    public static JsonObject Build(CanaryResource canary, RouteState routes)
    {
        ArgumentNullException.ThrowIfNull(canary);
        var apex = canary.Spec.Service?.Apex;
        var annotations = ObjectMetadata.Annotations(apex);
        if (apex?.Annotations is null)
        {
            annotations[string.Create(CultureInfo.InvariantCulture, $"{Port(canary)}.service.kuma.io")] = "http";
        }

        annotations[OwnerAnnotation] = Owner(canary);
        ObjectMetadata.Generated(annotations);
        var metadata = new JsonObject { ["name"] = Name(canary) };
        if (ObjectMetadata.Labels(apex) is { Count: > 0 } labels)
        {
            metadata["labels"] = JsonNodes.Map(labels);
        }

        metadata["annotations"] = JsonNodes.Map(annotations);
        return new JsonObject
        {
            ["apiVersion"] = RouterKinds.KumaTrafficRoute.ApiVersion,
            ["kind"] = RouterKinds.KumaTrafficRoute.Kind,
            ["mesh"] = canary.Metadata.Annotations?.TryGetValue(MeshAnnotation, out var mesh) == true && mesh.Length > 0 ? mesh : "default",
            ["metadata"] = metadata,
            ["spec"] = Spec(canary, routes),
        };
    }

    /// <summary>The spec: all sources, the apex destination, the weighted split.</summary>
    public static JsonObject Spec(CanaryResource canary, RouteState routes)
    {
        ArgumentNullException.ThrowIfNull(canary);
        var names = CanaryNames.Services(canary);
        return new JsonObject
        {
            ["sources"] = new JsonArray(new JsonObject { ["match"] = new JsonObject { [ServiceTag] = "*" } }),
            ["destinations"] = new JsonArray(new JsonObject { ["match"] = new JsonObject { [ServiceTag] = KumaService(canary, names.Apex) } }),
            ["conf"] = new JsonObject
            {
                ["split"] = new JsonArray(
                    Split(routes.PrimaryWeight, KumaService(canary, names.Primary)),
                    Split(routes.CanaryWeight, KumaService(canary, names.Canary))),
            },
        };
    }

    /// <summary>The split (each side's own weight), or null when it does not name both Services.</summary>
    public static RouteState? ReadRoutes(CanaryResource canary, JsonObject route)
    {
        ArgumentNullException.ThrowIfNull(canary);
        ArgumentNullException.ThrowIfNull(route);
        var names = CanaryNames.Services(canary);
        int? primary = null;
        int? canaryWeight = null;
        foreach (var split in route["spec"]?["conf"]?["split"] as JsonArray ?? [])
        {
            var service = (string?)split?["destination"]?[ServiceTag];
            var weight = Math.Clamp((int?)split?["weight"] ?? 0, 0, 100);
            if (service == KumaService(canary, names.Primary))
            {
                primary = weight;
            }
            else if (service == KumaService(canary, names.Canary))
            {
                canaryWeight = weight;
            }
        }

        return primary is { } p && canaryWeight is { } c ? new RouteState(p, c, false) : null;
    }

    /// <summary>Kuma's name of a Kubernetes Service port: <c>&lt;service&gt;_&lt;ns&gt;_svc_&lt;port&gt;</c>.</summary>
    public static string KumaService(CanaryResource canary, string service) =>
        string.Create(CultureInfo.InvariantCulture, $"{service}_{CanaryNames.Namespace(canary)}_svc_{Port(canary)}");

    private static int Port(CanaryResource canary) => canary.Spec.Service?.Port ?? 0;

    private static JsonObject Split(int weight, string service) => new()
    {
        ["weight"] = weight,
        ["destination"] = new JsonObject { [ServiceTag] = service },
    };
}
