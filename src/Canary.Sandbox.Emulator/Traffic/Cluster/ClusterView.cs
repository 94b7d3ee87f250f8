using System.Text.Json.Nodes;
using Canary.Sandbox.ApiServer.Resources;
using Canary.Sandbox.ApiServer.Selectors;
using Canary.Sandbox.ApiServer.Store;
using Canary.Sandbox.ApiServer.Watch;
using Canary.Sandbox.Json;

namespace Canary.Sandbox.Traffic.Cluster;

/// <summary>
/// What the data planes see: watch-fed caches of Services, Pods, Deployments, Ingresses, HTTPRoutes,
/// VirtualServices, the other providers' routing objects and Knative Services (whose status.traffic is what Knative's
/// ingress is programmed with), and the endpoints of a Service (ready pods matching its selector, as the
/// EndpointSlice controller).
/// </summary>
internal sealed class ClusterView
{
    public static readonly GroupVersionResource HttpRoutesV1 = new("gateway.networking.k8s.io", "v1", "httproutes");
    public static readonly GroupVersionResource HttpRoutesV1Beta1 = new("gateway.networking.k8s.io", "v1beta1", "httproutes");
    public static readonly GroupVersionResource VirtualServicesV1Beta1 = new("networking.istio.io", "v1beta1", "virtualservices");
    public static readonly GroupVersionResource VirtualServicesV1 = new("networking.istio.io", "v1", "virtualservices");
    public static readonly GroupVersionResource VirtualServicesV1Alpha3 = new("networking.istio.io", "v1alpha3", "virtualservices");
    public static readonly GroupVersionResource TrafficSplitsV1Alpha1 = new("split.smi-spec.io", "v1alpha1", "trafficsplits");
    public static readonly GroupVersionResource TrafficSplitsV1Alpha2 = new("split.smi-spec.io", "v1alpha2", "trafficsplits");
    public static readonly GroupVersionResource TrafficSplitsV1Alpha3 = new("split.smi-spec.io", "v1alpha3", "trafficsplits");
    public static readonly GroupVersionResource HttpProxiesV1 = new("projectcontour.io", "v1", "httpproxies");
    public static readonly GroupVersionResource TraefikServicesV1Alpha1 = new("traefik.io", "v1alpha1", "traefikservices");
    public static readonly GroupVersionResource ApisixRoutesV2 = new("apisix.apache.org", "v2", "apisixroutes");
    public static readonly GroupVersionResource RouteTablesV1 = new("gateway.solo.io", "v1", "routetables");
    public static readonly GroupVersionResource UpstreamsV1 = new("gloo.solo.io", "v1", "upstreams");
    public static readonly GroupVersionResource TrafficRoutesV1Alpha1 = new("kuma.io", "v1alpha1", "trafficroutes");
    public static readonly GroupVersionResource TraefikServicesContainousV1Alpha1 = new("traefik.containo.us", "v1alpha1", "traefikservices");
    public static readonly GroupVersionResource KnativeServicesV1 = new("serving.knative.dev", "v1", "services");

    private readonly ServedResourceSignal _served;

    public ClusterView(ObjectStore store, TimeProvider time)
    {
        _served = new ServedResourceSignal(store, time);
        Services = new WatchedObjects(store, _served, time, BuiltInResources.Services);
        Pods = new WatchedObjects(store, _served, time, BuiltInResources.Pods);
        Deployments = new WatchedObjects(store, _served, time, BuiltInResources.Deployments);
        Ingresses = new WatchedObjects(store, _served, time, BuiltInResources.Ingresses);
        HttpRoutes = new WatchedObjects(store, _served, time, HttpRoutesV1, HttpRoutesV1Beta1);
        VirtualServices = new WatchedObjects(store, _served, time, VirtualServicesV1Beta1, VirtualServicesV1, VirtualServicesV1Alpha3);
        TrafficSplits = new WatchedObjects(store, _served, time, TrafficSplitsV1Alpha1, TrafficSplitsV1Alpha2, TrafficSplitsV1Alpha3);
        HttpProxies = new WatchedObjects(store, _served, time, HttpProxiesV1);
        TrafficRoutes = new WatchedObjects(store, _served, time, TrafficRoutesV1Alpha1);
        ApisixRoutes = new WatchedObjects(store, _served, time, ApisixRoutesV2);
        RouteTables = new WatchedObjects(store, _served, time, RouteTablesV1);
        Upstreams = new WatchedObjects(store, _served, time, UpstreamsV1);
        TraefikServices = new WatchedObjects(store, _served, time, TraefikServicesV1Alpha1, TraefikServicesContainousV1Alpha1);
        KnativeServices = new WatchedObjects(store, _served, time, KnativeServicesV1);
    }

    public WatchedObjects Services { get; }

    public WatchedObjects Pods { get; }

    public WatchedObjects Deployments { get; }

    public WatchedObjects Ingresses { get; }

    public WatchedObjects HttpRoutes { get; }

    public WatchedObjects VirtualServices { get; }

    public WatchedObjects TrafficSplits { get; }

    public WatchedObjects HttpProxies { get; }

    public WatchedObjects TraefikServices { get; }

    /// <summary>Kuma TrafficRoutes (cluster-scoped: namespace "").</summary>
    public WatchedObjects TrafficRoutes { get; }

    public WatchedObjects RouteTables { get; }

    public WatchedObjects ApisixRoutes { get; }

    public WatchedObjects Upstreams { get; }

    /// <summary>Knative Services (serving.knative.dev/v1), not the core ones.</summary>
    public WatchedObjects KnativeServices { get; }

    private IEnumerable<WatchedObjects> All => [Services, Pods, Deployments, Ingresses, HttpRoutes, VirtualServices, TrafficSplits, HttpProxies, TraefikServices, TrafficRoutes, RouteTables, Upstreams, ApisixRoutes, KnativeServices];

    public bool Synced => All.All(c => c.Synced);

    public Task RunAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(All.Select(c => c.RunAsync(cancellationToken)).Append(_served.RunAsync(cancellationToken)));

    /// <summary>Ready pods selected by Service <paramref name="service"/>; none when the Service or its selector is missing.</summary>
    public IReadOnlyList<PodEndpoint> Endpoints(string ns, string service)
    {
        if (Services.Get(ns, service)?["spec"]?["selector"] is not JsonObject selector || selector.Count == 0)
        {
            return [];
        }

        var deployments = Deployments.InNamespace(ns).ToList();
        var result = new List<PodEndpoint>();
        foreach (var pod in Pods.InNamespace(ns))
        {
            var labels = pod["metadata"]?["labels"] as JsonObject;
            if (IsReady(pod) && Selects(selector, labels))
            {
                var owner = deployments.FirstOrDefault(d => LabelSelector.FromObject(d["spec"]?["selector"] as JsonObject) is { IsEmpty: false } s && s.Matches(labels));
                var annotations = BehaviorAnnotations(pod, owner);
                result.Add(new PodEndpoint(
                    ns,
                    Str(pod["metadata"]?["name"]),
                    owner is null ? Str(pod["metadata"]?["name"]) : Str(owner["metadata"]?["name"]),
                    WorkloadBehavior.FromAnnotations(annotations)));
            }
        }

        return result;
    }

    /// <summary>The first port of a Service (for backends that name none).</summary>
    public int? ServicePort(string ns, string service) =>
        (int?)KubeJson.Number((Services.Get(ns, service)?["spec"]?["ports"] as JsonArray)?.FirstOrDefault()?["port"]);

    // A controller-made pod carries its revision's template annotations (a Deployment edit changes new pods only);
    // a bare pod (hand-made in tests) takes its Deployment's current template.
    private static JsonObject? BehaviorAnnotations(JsonObject pod, JsonObject? deployment)
    {
        var own = pod["metadata"]?["annotations"] as JsonObject;
        var isBare = pod["metadata"]?["ownerReferences"] is not JsonArray { Count: > 0 };
        return isBare && deployment?["spec"]?["template"]?["metadata"]?["annotations"] is JsonObject template ? template : own;
    }

    // Ready as the endpoints controller sees it: the Ready condition, or a Running phase when no conditions are written.
    private static bool IsReady(JsonObject pod)
    {
        if (pod["metadata"]?["deletionTimestamp"] is not null)
        {
            return false;
        }

        var ready = (pod["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => Str(c["type"]) == "Ready");
        return ready is not null ? Str(ready["status"]) == "True" : Str(pod["status"]?["phase"]) == "Running";
    }

    private static bool Selects(JsonObject selector, JsonObject? labels) =>
        labels is not null && selector.All(kv => labels[kv.Key] is JsonValue v && v.TryGetValue<string>(out var s) && s == Str(kv.Value));

    private static string Str(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : string.Empty;
}
