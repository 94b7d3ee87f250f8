using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Canary.Kubernetes.Json;
using Canary.Kubernetes.Resources;
using Canary.Providers.Apply;
using Canary.Providers.Naming;
using Canary.Providers.Routing;
using k8s.Models;

namespace Canary.Providers.Builders;

/// <summary>
/// Pure builder of the SMI TrafficSplit <c>&lt;apex&gt;</c> (split.smi-spec.io v1alpha1/v1alpha2/v1alpha3, as
/// fluxcd/flagger <c>pkg/router/smi.go</c>, <c>smi_v1alpha2.go</c>, <c>smi_v1alpha3.go</c>), and the reader of the split
/// back out of it.
/// </summary>
/// <remarks>
/// <c>spec.service</c> is <c>service.hosts[0]</c> or the apex (Flagger's root service); the backends are the canary then
/// the primary Service. v1alpha1 weights are Kubernetes quantities (written as strings, read as quantities: "90",
/// "500m"); v1alpha2/v1alpha3 weights are integers. With the istio target mesh, <c>service.gateways</c> go into the
/// annotation Istio's SMI adapter reads, as Flagger writes it.
/// </remarks>
public static class TrafficSplitBuilder
{
    /// <summary>The annotation Istio's SMI adapter reads the gateways of the generated VirtualService from.</summary>
    public const string IstioGatewaysAnnotation = "VirtualService.v1alpha3.networking.istio.io/spec.gateways";

    /// <summary>The complete TrafficSplit for <paramref name="routes"/> in API version <paramref name="resource"/>.</summary>
    public static JsonObject Build(CanaryResource canary, ResourceKind resource, RouteState routes, string? targetMesh)
    {
        ArgumentNullException.ThrowIfNull(canary);
        ArgumentNullException.ThrowIfNull(resource);
        var metadata = new JsonObject
        {
            ["name"] = CanaryNames.Services(canary).Apex,
            ["namespace"] = CanaryNames.Namespace(canary),
        };
        var annotations = ObjectMetadata.Generated([]);
        if (targetMesh == "istio" && canary.Spec.Service?.Gateways is { Count: > 0 } gateways)
        {
            annotations[IstioGatewaysAnnotation] = JsonSerializer.Serialize(gateways);
        }

        metadata["annotations"] = JsonNodes.Map(annotations);
        metadata["ownerReferences"] = ObjectMetadata.OwnerReferencesJson(canary);
        return new JsonObject
        {
            ["apiVersion"] = resource.ApiVersion,
            ["kind"] = resource.Kind,
            ["metadata"] = metadata,
            ["spec"] = Spec(canary, resource, routes),
        };
    }

    /// <summary>The spec: the root service and the canary and primary backends with their weights.</summary>
    public static JsonObject Spec(CanaryResource canary, ResourceKind resource, RouteState routes)
    {
        ArgumentNullException.ThrowIfNull(canary);
        ArgumentNullException.ThrowIfNull(resource);
        var names = CanaryNames.Services(canary);
        var root = canary.Spec.Service?.Hosts is { Count: > 0 } hosts ? hosts[0] : names.Apex;
        var quantities = resource.Version == "v1alpha1";
        return new JsonObject
        {
            ["service"] = root,
            ["backends"] = new JsonArray(
                Backend(names.Canary, routes.CanaryWeight, quantities),
                Backend(names.Primary, routes.PrimaryWeight, quantities)),
        };
    }

    /// <summary>The split the TrafficSplit carries, or null when it has no backends for both Services.</summary>
    public static RouteState? ReadRoutes(JsonObject split, ServiceNames names)
    {
        ArgumentNullException.ThrowIfNull(split);
        ArgumentNullException.ThrowIfNull(names);
        int? primary = null;
        int? canary = null;
        foreach (var backend in split["spec"]?["backends"] as JsonArray ?? [])
        {
            var service = (string?)backend?["service"];
            var weight = Weight(backend?["weight"]);
            if (service == names.Primary)
            {
                primary = weight;
            }
            else if (service == names.Canary)
            {
                canary = weight;
            }
        }

        return primary is { } p && canary is { } c ? new RouteState(p, c, false) : null;
    }

    private static JsonObject Backend(string service, int weight, bool quantity) => new()
    {
        ["service"] = service,
        ["weight"] = quantity ? JsonValue.Create(weight.ToString(CultureInfo.InvariantCulture)) : JsonValue.Create(weight),
    };

    // A number, or a Kubernetes quantity string ("90", "500m" = 0.5, "1k"); rounded to a whole weight.
    private static int Weight(JsonNode? node)
    {
        if (node is JsonValue value && value.TryGetValue<double>(out var number))
        {
            return (int)Math.Round(number, MidpointRounding.AwayFromZero);
        }

        var text = ((string?)node)?.Trim() ?? string.Empty;
        try
        {
            return (int)Math.Round(new ResourceQuantity(text).ToDecimal(), MidpointRounding.AwayFromZero);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
        {
            throw new TrafficRouterException($"TrafficSplit weight '{text}' is not a quantity");
        }
    }
}
