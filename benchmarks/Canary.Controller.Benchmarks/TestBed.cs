using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Canary.Sandbox.ApiServer;
using Canary.Sandbox.ApiServer.Accounting;
using Canary.Sandbox.ApiServer.Resources;
using Canary.Sandbox.ApiServer.Store;
using Canary.Sandbox.Prometheus;
using Canary.Sandbox.Traffic;
using Canary.Sandbox.Traffic.Metrics;
using Canary.Sandbox.Workloads;

namespace Canary.Controller.Benchmarks;

/// <summary>How the benchmark's sandbox is started.</summary>
internal sealed record SandboxSettings(int Size, TimeSpan ReadyDelay, TimeSpan ScrapeInterval, bool HttpRoutes);

/// <summary>
/// What the controller processes run against, all in this process except Prometheus: the emulated API server with the
/// workload simulator (pods become Ready after a delay, so primaries really roll out), the traffic simulator whose
/// /metrics a real Prometheus scrapes, and an admin kubeconfig. The benchmark itself only uses the store directly
/// (never HTTP), so the server's request counters hold the controllers' requests alone.
/// </summary>
internal sealed class TestBed : IAsyncDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    private TestBed(SandboxCluster cluster, TrafficSimulator traffic, TrafficMetricsEndpoint metrics, PrometheusRunner prometheus, string kubeconfig)
    {
        Cluster = cluster;
        Traffic = traffic;
        Metrics = metrics;
        Prometheus = prometheus;
        Kubeconfig = kubeconfig;
    }

    public SandboxCluster Cluster { get; }

    public ObjectStore Store => Cluster.Store;

    public RequestCounters Counters => Cluster.Server.Counters;

    public TrafficSimulator Traffic { get; }

    public TrafficMetricsEndpoint Metrics { get; }

    public PrometheusRunner Prometheus { get; }

    public string Kubeconfig { get; }

    public static async Task<TestBed> StartAsync(SandboxSettings settings, CancellationToken cancellationToken)
    {
        var cluster = await SandboxCluster.StartAsync(
            new SandboxClusterOptions
            {
                // Room for every object's events of a whole run, so no informer is sent back to relist by a 410.
                ApiServer = new SandboxApiServerOptions { HistorySize = Math.Max(20_000, settings.Size * 20) },
                Workloads = new WorkloadSimulatorOptions { ReadyDelay = settings.ReadyDelay },
            },
            cancellationToken);
        foreach (var crd in Objects.CanaryCrds().Concat(settings.HttpRoutes ? [Objects.HttpRouteCrd()] : []))
        {
            cluster.Store.Create(BuiltInResources.CustomResourceDefinitions, null, crd);
        }

        var traffic = new TrafficSimulator(cluster.Store);
        await traffic.StartAsync(cancellationToken);
        var metrics = await TrafficMetricsEndpoint.StartAsync(traffic, cancellationToken: cancellationToken);
        var prometheus = await PrometheusRunner.StartAsync(metrics.Url, new PrometheusRunnerOptions { ScrapeInterval = settings.ScrapeInterval }, cancellationToken);
        var kubeconfig = cluster.WriteKubeconfig(Path.Combine(Path.GetTempPath(), $"canary-bench-{Guid.NewGuid():N}.yaml"));
        return new TestBed(cluster, traffic, metrics, prometheus, kubeconfig);
    }

    /// <summary>Creates each app's namespace (unless default), Deployment and Canary (<paramref name="canary"/> builds it).</summary>
    public void Seed(IEnumerable<App> apps, int replicas, Func<App, JsonObject> canary)
    {
        foreach (var app in apps)
        {
            if (app.Namespace != Objects.Namespace)
            {
                Store.Create(BuiltInResources.Namespaces, null, Objects.NamespaceObject(app.Namespace));
            }

            Store.Create(BuiltInResources.Deployments, app.Namespace, Objects.Deployment(app.Name, replicas, app.Namespace));
            Store.Create(CanaryBoard.Canaries, app.Namespace, canary(app));
        }
    }

    /// <summary>Waits until every Deployment has all its replicas ready (the workload simulator caught up).</summary>
    public async Task WaitDeploymentsReadyAsync(int expected, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var ready = Store.List(BuiltInResources.Deployments, null).Items.Count(IsReady);
            if (ready >= expected)
            {
                return;
            }

            if (watch.Elapsed > timeout)
            {
                throw new TimeoutException($"only {ready} of {expected} Deployments ready after {timeout}");
            }

            await Task.Delay(500, cancellationToken);
        }
    }

    /// <summary>A new pod template for the Deployment: a new revision, as a release is.</summary>
    public void SetImage(App app, string image)
    {
        var current = Store.Get(BuiltInResources.Deployments, app.Namespace, app.Name);
        current["spec"]!["template"]!["spec"]!["containers"]![0]!["image"] = image;
        Store.Update(BuiltInResources.Deployments, app.Namespace, current);
    }

    /// <summary>namespace/name of every object of <paramref name="resource"/>.</summary>
    public HashSet<string> Keys(GroupVersionResource resource) =>
        Store.List(resource, null).Items.Select(o => $"{o["metadata"]?["namespace"]}/{o["metadata"]?["name"]}").ToHashSet(StringComparer.Ordinal);

    /// <summary>Prometheus's own /metrics: instant queries answered so far and its CPU seconds.</summary>
    public async Task<(double Queries, double CpuSeconds)> PrometheusSelfAsync(CancellationToken cancellationToken)
    {
        var text = await _http.GetStringAsync(new Uri(Prometheus.Url, "metrics"), cancellationToken);
        double queries = 0, cpu = 0;
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith("prometheus_http_requests_total{", StringComparison.Ordinal) && line.Contains("handler=\"/api/v1/query\"", StringComparison.Ordinal))
            {
                queries += Value(line);
            }
            else if (line.StartsWith("process_cpu_seconds_total ", StringComparison.Ordinal))
            {
                cpu = Value(line);
            }
        }

        return (queries, cpu);
    }

    /// <summary>Requests counted between two snapshots of the server's counters.</summary>
    public static List<(RequestKey Key, long Count)> Delta(IReadOnlyDictionary<RequestKey, long> before, IReadOnlyDictionary<RequestKey, long> after) =>
        [.. after.Select(kv => (kv.Key, Count: kv.Value - before.GetValueOrDefault(kv.Key))).Where(d => d.Count > 0).OrderByDescending(d => d.Count)];

    /// <summary>Waits until no counted request is in flight, so a snapshot holds every request answered so far.</summary>
    public async Task<IReadOnlyDictionary<RequestKey, long>> SnapshotAsync(CancellationToken cancellationToken)
    {
        for (var i = 0; i < 100 && Counters.InFlight > 0; i++)
        {
            await Task.Delay(10, cancellationToken);
        }

        return Counters.Snapshot();
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await Prometheus.DisposeAsync();
        await Metrics.DisposeAsync();
        await Traffic.DisposeAsync();
        await Cluster.DisposeAsync();
        File.Delete(Kubeconfig);
    }

    private static bool IsReady(JsonObject deployment)
    {
        var wanted = Stats.Long(deployment["spec"]?["replicas"], 1);
        var ready = Stats.Long(deployment["status"]?["readyReplicas"]);
        return ready >= wanted;
    }

    private static double Value(string line) =>
        double.Parse(line[(line.LastIndexOf(' ') + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture);
}
