using System.Text.Json.Nodes;
using Canary.Sandbox.ApiServer.Resources;
using Canary.Sandbox.Traffic;
using Canary.Sandbox.Workloads;

/// <summary>A simulated podinfo (Deployment of 2 pods, p50 1 ms, Service podinfo.bench:9898) behind the sandbox's Service proxy.</summary>
internal sealed class SandboxTarget : IAsyncDisposable
{
    private readonly SandboxCluster _cluster;
    private readonly TrafficSimulator _traffic;
    private readonly ServiceProxy _proxy;

    private SandboxTarget(SandboxCluster cluster, TrafficSimulator traffic, ServiceProxy proxy)
    {
        (_cluster, _traffic, _proxy) = (cluster, traffic, proxy);
    }

    /// <summary>The proxy to send requests through (hey -x).</summary>
    public Uri Proxy => _proxy.Url;

    /// <summary>The Service's URL as a pod in the cluster would call it.</summary>
    public Uri Url { get; } = new("http://podinfo.bench:9898/");

    public static async Task<SandboxTarget> StartAsync()
    {
        var cluster = await SandboxCluster.StartAsync(new SandboxClusterOptions { Workloads = new WorkloadSimulatorOptions { ReadyDelay = TimeSpan.FromMilliseconds(50) } });
        var store = cluster.Store;
        store.Create(BuiltInResources.Namespaces, null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "bench" } });
        store.Create(BuiltInResources.Deployments, "bench", JsonNode.Parse("""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"podinfo","namespace":"bench"},
             "spec":{"replicas":2,"selector":{"matchLabels":{"app":"podinfo"}},
                     "template":{"metadata":{"labels":{"app":"podinfo"},"annotations":{"sandbox.canary.dev/latency-p50":"1ms"}},
                                 "spec":{"containers":[{"name":"podinfo","image":"podinfo:6"}]}}}}
            """)!.AsObject());
        store.Create(BuiltInResources.Services, "bench", JsonNode.Parse("""
            {"apiVersion":"v1","kind":"Service","metadata":{"name":"podinfo","namespace":"bench"},
             "spec":{"selector":{"app":"podinfo"},"ports":[{"name":"http","port":9898,"targetPort":9898,"protocol":"TCP"}]}}
            """)!.AsObject());
        var traffic = new TrafficSimulator(store);
        await traffic.StartAsync();
        var proxy = await ServiceProxy.StartAsync(traffic);
        using var http = new HttpClient(new HttpClientHandler { Proxy = new System.Net.WebProxy(proxy.Url), UseProxy = true });
        while ((await http.GetAsync(new Uri("http://podinfo.bench:9898/"))).StatusCode != System.Net.HttpStatusCode.OK)
        {
            await Task.Delay(50);
        }

        return new SandboxTarget(cluster, traffic, proxy);
    }

    public async ValueTask DisposeAsync()
    {
        await _proxy.DisposeAsync();
        await _traffic.DisposeAsync();
        await _cluster.DisposeAsync();
    }
}
