// Sustained throughput of the sandbox API server: N concurrent KubernetesClient callers per scenario for a few seconds.
// Usage: dotnet run -c Release --project benchmarks/Canary.Sandbox.Benchmarks -- [concurrency=8] [seconds=4] [listSize=50]
using System.Diagnostics;
using System.Globalization;
using Canary.Sandbox.ApiServer;
using k8s;
using k8s.Models;

var concurrency = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 8;
var seconds = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 4;
var listSize = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 50;
var duration = TimeSpan.FromSeconds(seconds);

await using var server = await SandboxApiServer.StartAsync();
using var client = server.CreateClient();
const string Ns = "bench";
await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = Ns } });
for (var i = 0; i < listSize; i++)
{
    await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap($"cm-{i:D4}", i), Ns);
}

Console.WriteLine($"sandbox API server benchmark: {Environment.ProcessorCount} cores, {concurrency} concurrent callers, {seconds:0.#} s per scenario, lists of {listSize} ConfigMaps");
Console.WriteLine($"{"scenario",-34} {"requests",10} {"req/s",10} {"p50 ms",8} {"p99 ms",8}");

await Report("get configmap", worker => client.CoreV1.ReadNamespacedConfigMapAsync($"cm-{worker % listSize:D4}", Ns));
await Report($"list configmaps ({listSize} items)", _ => client.CoreV1.ListNamespacedConfigMapAsync(Ns));
await Report("list configmaps (label selector)", _ => client.CoreV1.ListNamespacedConfigMapAsync(Ns, labelSelector: "bucket in (1,2)"));
var serial = 0;
await Report("create configmap", _ => client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap($"new-{Interlocked.Increment(ref serial)}", 0), Ns));
await Report("merge patch configmap", worker => client.CoreV1.PatchNamespacedConfigMapAsync(
    new V1Patch($"{{\"data\":{{\"n\":\"{Stopwatch.GetTimestamp()}\"}}}}", V1Patch.PatchType.MergePatch), $"cm-{worker % listSize:D4}", Ns));
for (var i = 0; i < concurrency; i++)
{
    await client.AppsV1.CreateNamespacedDeploymentAsync(Deployment($"d-{i}"), Ns);
}

await Report("update deployment status", worker => client.AppsV1.ReplaceNamespacedDeploymentStatusAsync(
    new V1Deployment { Metadata = new V1ObjectMeta { Name = $"d-{worker}" }, Status = new V1DeploymentStatus { ObservedGeneration = Stopwatch.GetTimestamp() } }, $"d-{worker}", Ns));
await WatchThroughput();

// Watchers receive every write; the figure is events delivered per second across all watchers.
async Task WatchThroughput()
{
    var watchers = Math.Max(1, concurrency / 2);
    using var cts = new CancellationTokenSource();
    long delivered = 0;
    var rv = (await client.CoreV1.ListNamespacedConfigMapAsync(Ns, limit: 1)).Metadata.ResourceVersion;
    var watchTasks = Enumerable.Range(0, watchers).Select(_ => Task.Run(async () =>
    {
        try
        {
            await foreach (var _ in client.CoreV1.WatchListNamespacedConfigMapAsync(Ns, resourceVersion: rv, cancellationToken: cts.Token))
            {
                Interlocked.Increment(ref delivered);
            }
        }
        catch (OperationCanceledException)
        {
        }
    })).ToList();
    while (server.Store.WatcherCount(Canary.Sandbox.ApiServer.Resources.BuiltInResources.ConfigMaps) < watchers)
    {
        await Task.Delay(10);
    }

    Interlocked.Exchange(ref delivered, 0);
    var writes = await Run(concurrency - watchers, worker => client.CoreV1.PatchNamespacedConfigMapAsync(
        new V1Patch($"{{\"data\":{{\"w\":\"{Stopwatch.GetTimestamp()}\"}}}}", V1Patch.PatchType.MergePatch), $"cm-{worker % listSize:D4}", Ns));
    await Task.Delay(200);
    var events = Interlocked.Read(ref delivered);
    await cts.CancelAsync();
    await Task.WhenAll(watchTasks);
    Console.WriteLine($"{$"watch events ({watchers} watchers)",-34} {events,10} {events / writes.Elapsed.TotalSeconds,10:F0} {"",8} {"",8}   (while {writes.Count / writes.Elapsed.TotalSeconds:F0} patches/s)");
}

async Task Report(string name, Func<int, Task> call)
{
    var r = await Run(concurrency, call);
    Console.WriteLine($"{name,-34} {r.Count,10} {r.Count / r.Elapsed.TotalSeconds,10:F0} {r.P50,8:F2} {r.P99,8:F2}");
}

async Task<(long Count, TimeSpan Elapsed, double P50, double P99)> Run(int callers, Func<int, Task> call)
{
    // Warm-up: JIT and connection pool.
    for (var i = 0; i < 20; i++)
    {
        await call(i % callers);
    }

    var stopwatch = Stopwatch.StartNew();
    var latencies = new List<double>[callers];
    var tasks = Enumerable.Range(0, callers).Select(w => Task.Run(async () =>
    {
        var mine = latencies[w] = [];
        while (stopwatch.Elapsed < duration)
        {
            var started = Stopwatch.GetTimestamp();
            await call(w);
            mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }));
    await Task.WhenAll(tasks);
    var elapsed = stopwatch.Elapsed;
    var all = latencies.SelectMany(l => l).Order().ToArray();
    return (all.Length, elapsed, all[all.Length / 2], all[(int)(all.Length * 0.99)]);
}

static V1ConfigMap ConfigMap(string name, int i) => new()
{
    Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["bucket"] = (i % 4).ToString(CultureInfo.InvariantCulture) } },
    Data = new Dictionary<string, string> { ["payload"] = new string('x', 200) },
};

static V1Deployment Deployment(string name) => new()
{
    Metadata = new V1ObjectMeta { Name = name },
    Spec = new V1DeploymentSpec
    {
        Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
        Template = new V1PodTemplateSpec
        {
            Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = name } },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "app", Image = "nginx" }] },
        },
    },
};
