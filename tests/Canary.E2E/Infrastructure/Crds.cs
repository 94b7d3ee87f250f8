using System.Text.Json.Nodes;
using Canary.Sandbox.ApiServer.Resources;
using Canary.Sandbox.Demo;
using Canary.Sandbox.ApiServer.Store;
using k8s;
using k8s.Models;

namespace Canary.E2E.Infrastructure;

/// <summary>Resources the scenarios read and write, and the CRDs that make them served.</summary>
public static class Crds
{
    public static readonly GroupVersionResource Canaries = new("canary.dev", "v1beta1", "canaries");
    public static readonly GroupVersionResource MetricTemplates = new("canary.dev", "v1beta1", "metrictemplates");
    public static readonly GroupVersionResource HttpRoutes = new("gateway.networking.k8s.io", "v1", "httproutes");
    public static readonly GroupVersionResource VirtualServices = new("networking.istio.io", "v1beta1", "virtualservices");
    public static readonly GroupVersionResource ScaledObjects = new("keda.sh", "v1alpha1", "scaledobjects");
    public static readonly GroupVersionResource DestinationRules = new("networking.istio.io", "v1beta1", "destinationrules");
    public static readonly GroupVersionResource TrafficSplits = new("split.smi-spec.io", "v1alpha1", "trafficsplits");
    public static readonly GroupVersionResource HttpProxies = new("projectcontour.io", "v1", "httpproxies");
    public static readonly GroupVersionResource ApisixRoutes = new("apisix.apache.org", "v2", "apisixroutes");
    public static readonly GroupVersionResource RouteTables = new("gateway.solo.io", "v1", "routetables");
    public static readonly GroupVersionResource TrafficRoutes = new("kuma.io", "v1alpha1", "trafficroutes");
    public static readonly GroupVersionResource TraefikServices = new("traefik.io", "v1alpha1", "traefikservices");
    public static readonly GroupVersionResource KnativeServices = new("serving.knative.dev", "v1", "services");

    /// <summary>
    /// The project's own CRDs exactly as shipped (manifests/crds, through the API like <c>kubectl apply</c>), and minimal
    /// schemaless CRDs for the routing kinds of every provider the controller and the traffic simulator understand.
    /// </summary>
    public static async Task InstallAsync(IKubernetes client, ObjectStore store, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(RepositoryRoot(), "manifests", "crds");
        foreach (var file in Directory.GetFiles(folder, "*.canary.dev.yaml").Order(StringComparer.Ordinal))
        {
            var crd = KubernetesYaml.Deserialize<V1CustomResourceDefinition>(await File.ReadAllTextAsync(file, cancellationToken));
            await client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd, cancellationToken: cancellationToken);
        }

        foreach (var crd in DemoCrds.RouterCrds().Concat(DemoCrds.AutoscalerCrds()))
        {
            store.Create(BuiltInResources.CustomResourceDefinitions, null, crd);
        }
    }

    /// <summary>The folder holding Canary.sln, found upwards from the test binaries.</summary>
    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Canary.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Canary.sln not found above the test folder");
    }
}
