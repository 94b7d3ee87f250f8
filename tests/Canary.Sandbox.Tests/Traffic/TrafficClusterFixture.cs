using System.Text.Json.Nodes;
using Canary.Sandbox.ApiServer.Resources;
using Canary.Sandbox.ApiServer.Store;
using Canary.Sandbox.Demo;
using Canary.Sandbox.Tests.Workloads;
using Canary.Sandbox.Workloads;

namespace Canary.Sandbox.Tests.Traffic;

/// <summary>
/// One <see cref="SandboxCluster"/> (real clock, short ready delay) with the HTTPRoute and VirtualService CRDs, per
/// test class; each test works in its own namespace through <see cref="NewNamespace"/>.
/// </summary>
public sealed class TrafficClusterFixture : IAsyncLifetime
{
    private static int _counter;

    public SandboxCluster Cluster { get; private set; } = null!;

    public ObjectStore Store => Cluster.Store;

    public async Task InitializeAsync()
    {
        Cluster = await SandboxCluster.StartAsync(new SandboxClusterOptions { Workloads = new WorkloadSimulatorOptions { ReadyDelay = TimeSpan.FromMilliseconds(20) } });
        foreach (var crd in DemoCrds.RouterCrds())
        {
            Store.Create(BuiltInResources.CustomResourceDefinitions, null, crd);
        }
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();

    public string NewNamespace()
    {
        var name = $"traffic-{Interlocked.Increment(ref _counter)}";
        Store.Create(BuiltInResources.Namespaces, null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = name } });
        return name;
    }

    /// <summary>
    /// podinfo as Flagger leaves it after initialization: Deployments podinfo (canary) and podinfo-primary, Services
    /// podinfo (apex → primary pods), podinfo-primary and podinfo-canary; waits until both Deployments are ready.
    /// </summary>
    public async Task<string> PodinfoAsync(int canaryReplicas = 2, Dictionary<string, string>? canaryAnnotations = null, Dictionary<string, string>? primaryAnnotations = null)
    {
        var ns = NewNamespace();
        Store.Create(BuiltInResources.Deployments, ns, Objects.Deployment(ns, "podinfo-primary", 2, primaryAnnotations));
        Store.Create(BuiltInResources.Deployments, ns, Objects.Deployment(ns, "podinfo", canaryReplicas, canaryAnnotations));
        Store.Create(BuiltInResources.Services, ns, Objects.Service(ns, "podinfo", "podinfo-primary"));
        Store.Create(BuiltInResources.Services, ns, Objects.Service(ns, "podinfo-primary", "podinfo-primary"));
        Store.Create(BuiltInResources.Services, ns, Objects.Service(ns, "podinfo-canary", "podinfo"));
        await WaitReadyAsync(ns, "podinfo-primary", 2);
        await WaitReadyAsync(ns, "podinfo", canaryReplicas);
        return ns;
    }

    /// <summary>
    /// podinfo as a Knative Service mid-analysis: revision 00001 (the primary) with <paramref name="primaryAnnotations"/>,
    /// revision 00002 (the latest, the canary) with <paramref name="canaryAnnotations"/>, two pods each, and spec.traffic
    /// as the knative router writes it with <paramref name="canaryWeight"/> % on the latest revision.
    /// </summary>
    public async Task<string> KnativePodinfoAsync(int canaryWeight, Dictionary<string, string> canaryAnnotations, Dictionary<string, string> primaryAnnotations)
    {
        var ns = NewNamespace();
        Store.Create(KnativeManifests.Services, ns, KnativeManifests.Service(ns, "podinfo", "ghcr.io/stefanprodan/podinfo:6.0.0", TwoPods(primaryAnnotations)));
        await WaitReadyAsync(ns, "podinfo-00001-deployment", 2);
        KnativeManifests.SetTemplate(Store, ns, "podinfo", "ghcr.io/stefanprodan/podinfo:6.0.1", TwoPods(canaryAnnotations));
        await WaitReadyAsync(ns, "podinfo-00002-deployment", 2);
        Objects.SetKnativeSplit(Store, ns, canaryWeight);
        return ns;
    }

    private static Dictionary<string, string> TwoPods(Dictionary<string, string> annotations) =>
        new(annotations, StringComparer.Ordinal) { ["autoscaling.knative.dev/min-scale"] = "2" };

    public async Task WaitReadyAsync(string ns, string deployment, int replicas)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        // A Knative revision's Deployment appears once the simulated Knative Serving made the revision.
        while ((int)(Store.List(BuiltInResources.Deployments, ns).Items.FirstOrDefault(d => (string?)d["metadata"]?["name"] == deployment)?["status"]?["readyReplicas"]?.GetValue<long>() ?? 0) != replicas)
        {
            await Task.Delay(20, timeout.Token);
        }
    }
}
