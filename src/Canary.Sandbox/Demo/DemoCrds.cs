using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Canary.Api.Crd;
using Canary.Api.V1Beta1;
using Canary.Sandbox.ApiServer.Resources;
using Canary.Sandbox.ApiServer.Store;

namespace Canary.Sandbox.Demo;

/// <summary>
/// The CRDs the demo needs: canary.dev generated in process from the API types (so they never drift from the
/// controller), plus minimal HTTPRoute, VirtualService, DestinationRule, TrafficSplit, HTTPProxy, TraefikService, TrafficRoute, RouteTable, Upstream, ApisixRoute and Knative Serving CRDs for the routers (schemas keep unknown
/// fields: the sandbox shows routing, not upstream validation).
/// </summary>
public static class DemoCrds
{
    /// <summary>The Knative Service resource, for the user's app the knative demo creates.</summary>
    public static GroupVersionResource KnativeServices { get; } = new("serving.knative.dev", "v1", "services");

    /// <summary>The ApisixRoute resource, for the user's route the apisix demo creates.</summary>
    public static GroupVersionResource ApisixRoutes { get; } = new("apisix.apache.org", "v2", "apisixroutes");

    /// <summary>Creates every CRD in <paramref name="store"/>.</summary>
    public static void Install(ObjectStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        foreach (var crd in CanaryCrds().Concat(RouterCrds()).Concat(AutoscalerCrds()))
        {
            store.Create(BuiltInResources.CustomResourceDefinitions, null, crd);
        }
    }

    /// <summary>canary.dev CRDs as <c>src/Canary.CrdGen</c> writes them to manifests/crds.</summary>
    public static IEnumerable<JsonObject> CanaryCrds()
    {
        var generator = new CrdGenerator(Documentation());
        return CrdCatalog.All.Select(definition =>
            JsonSerializer.SerializeToNode(generator.Build(definition))!.AsObject());
    }

    /// <summary>HTTPRoute (v1, v1beta1), VirtualService and DestinationRule (v1beta1, v1), SMI TrafficSplit (v1alpha1-3), Contour HTTPProxy (v1), TraefikService (traefik.io/v1alpha1), Kuma TrafficRoute (kuma.io/v1alpha1, cluster-scoped), Gloo RouteTable and Upstream, ApisixRoute (v2), Knative Service and Revision (serving.knative.dev/v1): every routing kind the providers write.</summary>
    public static IEnumerable<JsonObject> RouterCrds() =>
    [
        Minimal("gateway.networking.k8s.io", "httproutes", "HTTPRoute", ["v1", "v1beta1"]),
        Minimal("networking.istio.io", "virtualservices", "VirtualService", ["v1beta1", "v1"]),
        Minimal("networking.istio.io", "destinationrules", "DestinationRule", ["v1beta1", "v1"]),
        Minimal("split.smi-spec.io", "trafficsplits", "TrafficSplit", ["v1alpha1", "v1alpha2", "v1alpha3"]),
        Minimal("projectcontour.io", "httpproxies", "HTTPProxy", ["v1"]),
        Minimal("traefik.io", "traefikservices", "TraefikService", ["v1alpha1"]),

        // Older Traefik's group too, as a cluster upgraded from Traefik 2.9 serves both (the router takes traefik.io).
        Minimal("traefik.containo.us", "traefikservices", "TraefikService", ["v1alpha1"]),
        Minimal("kuma.io", "trafficroutes", "TrafficRoute", ["v1alpha1"], scope: "Cluster"),
        Minimal("gateway.solo.io", "routetables", "RouteTable", ["v1"]),
        Minimal("gloo.solo.io", "upstreams", "Upstream", ["v1"]),
        Minimal("apisix.apache.org", "apisixroutes", "ApisixRoute", ["v2"]),

        // Knative Serving: the knative provider's target and its revisions (the sandbox simulates Knative's controller).
        Minimal("serving.knative.dev", "services", "Service", ["v1"]),
        Minimal("serving.knative.dev", "revisions", "Revision", ["v1"]),
    ];

    /// <summary>KEDA's ScaledObject (keda.sh/v1alpha1): served so the controller can copy and pause it; no KEDA runs here.</summary>
    public static IEnumerable<JsonObject> AutoscalerCrds() =>
    [
        Minimal("keda.sh", "scaledobjects", "ScaledObject", ["v1alpha1"]),
    ];

    // Descriptions come from Canary.Api.xml next to the assembly; without it (a trimmed copy) the CRDs are still valid.
    private static XmlDocumentation Documentation()
    {
        try
        {
            return XmlDocumentation.For(typeof(CanaryApi).Assembly);
        }
        catch (FileNotFoundException)
        {
            return XmlDocumentation.Parse(new XDocument(new XElement("doc")));
        }
    }

    private static JsonObject Minimal(string group, string plural, string kind, string[] versions, string scope = "Namespaced") => new()
    {
        ["apiVersion"] = "apiextensions.k8s.io/v1",
        ["kind"] = "CustomResourceDefinition",
        ["metadata"] = new JsonObject { ["name"] = $"{plural}.{group}" },
        ["spec"] = new JsonObject
        {
            ["group"] = group,
            ["scope"] = scope,
            ["names"] = new JsonObject { ["plural"] = plural, ["singular"] = kind.ToLowerInvariant(), ["kind"] = kind, ["listKind"] = kind + "List" },
            ["versions"] = new JsonArray([.. versions.Select((v, i) => (JsonNode?)new JsonObject
            {
                ["name"] = v,
                ["served"] = true,
                ["storage"] = i == 0,
                ["subresources"] = new JsonObject { ["status"] = new JsonObject() },
                ["schema"] = new JsonObject
                {
                    ["openAPIV3Schema"] = new JsonObject { ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true },
                },
            })]),
        },
    };
}
