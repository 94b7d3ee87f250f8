using System.Diagnostics;
using System.Globalization;
using Canary.Controller.Benchmarks;
using Canary.Controller.Hosting;
using Canary.Controller.Informers;
using Canary.Controller.Reconciliation;
using Canary.Sandbox.ApiServer;
using Canary.Sandbox.ApiServer.Resources;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

// Controller benchmark on the emulated API server, per fleet size: cache sync time, working set added by the
// controller, API requests per minute while idle, and Deployment-change -> reconcile latency (p50/p99).
// Usage: canary-controller-benchmarks [sizes=100,1000,10000] [idleSeconds=30] [changes=200]
var sizes = (args.Length > 0 ? args[0] : "100,1000,10000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
var idleSeconds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 30;
var changes = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 200;

Console.WriteLine($"Canary controller benchmark: {Environment.ProcessorCount} cores, .NET {Environment.Version}, idle window {idleSeconds}s, {changes} changes per size");
Console.WriteLine("| canaries | cache sync (s) | working set added (MB) | managed heap added (MB) | idle API requests/min (all) | idle non-watch requests/min | change->reconcile p50 (ms) | p99 (ms) | max (ms) |");
Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
foreach (var size in sizes)
{
    var row = await Bench.RunAsync(size, idleSeconds, changes);
    Console.WriteLine(row);
}

return 0;

internal static class Bench
{
    public static async Task<string> RunAsync(int size, int idleSeconds, int changes)
    {
        await using var server = await SandboxApiServer.StartAsync(new SandboxApiServerOptions { HistorySize = Math.Max(10_000, size * 4) });
        Seed(server, size);
        var kubeconfig = server.WriteKubeconfig(Path.Combine(Path.GetTempPath(), $"canary-bench-{Guid.NewGuid():N}.yaml"));
        var (workingSetBefore, heapBefore) = Memory();

        var options = new ControllerOptions
        {
            Kubeconfig = kubeconfig,
            HealthPort = FreePort(),
            MetricsPort = FreePort(),
            LogFormat = LogFormat.Text,
            MeshProvider = "kubernetes",
        };
        await using var app = ControllerHost.Build(options, services =>
        {
            services.Configure<Microsoft.Extensions.Logging.LoggerFilterOptions>(o => o.MinLevel = Microsoft.Extensions.Logging.LogLevel.Warning);
            services.AddSingleton<LatencyReconciler>();
            services.Replace(ServiceDescriptor.Singleton<IReconciler>(sp => sp.GetRequiredService<LatencyReconciler>()));
        });
        var caches = app.Services.GetRequiredService<ControllerCaches>();
        var reconciler = app.Services.GetRequiredService<LatencyReconciler>();
        var sync = Stopwatch.StartNew();
        await app.StartAsync();
        await caches.WaitForSyncAsync(CancellationToken.None);
        var syncTime = sync.Elapsed;
        await Until(() => reconciler.Reconciled >= size, TimeSpan.FromMinutes(5));
        await Task.Delay(TimeSpan.FromSeconds(2));

        var (workingSetAfter, heapAfter) = Memory();
        var before = server.Counters.Snapshot();
        await Task.Delay(TimeSpan.FromSeconds(idleSeconds));
        var after = server.Counters.Snapshot();
        var delta = after.Select(kv => (kv.Key, Count: kv.Value - before.GetValueOrDefault(kv.Key))).Where(d => d.Count > 0).ToList();
        var perMinute = 60.0 / idleSeconds;
        var idleAll = delta.Sum(d => d.Count) * perMinute;
        var idleNonWatch = delta.Where(d => d.Key.Verb != "watch").Sum(d => d.Count) * perMinute;

        // Changes spread over time (not one burst) so each measures the path, not queueing behind the others.
        var rng = new Random(5);
        for (var i = 0; i < changes; i++)
        {
            var name = $"app-{rng.Next(size):D5}";
            var image = $"bench:{i}";
            reconciler.ChangedAt[image] = Stopwatch.GetTimestamp();
            Touch(server, name, image);
            await Task.Delay(10);
        }

        await Until(() => reconciler.ChangedAt.IsEmpty, TimeSpan.FromSeconds(60));
        var latencies = reconciler.LatenciesMs.Order().ToArray();
        await app.StopAsync();
        File.Delete(kubeconfig);
        return string.Create(CultureInfo.InvariantCulture,
            $"| {size:N0} | {syncTime.TotalSeconds:F2} | {(workingSetAfter - workingSetBefore) / 1e6:F0} | {(heapAfter - heapBefore) / 1e6:F0} | {idleAll:F1} | {idleNonWatch:F1} | {Percentile(latencies, 0.50):F1} | {Percentile(latencies, 0.99):F1} | {(latencies.Length > 0 ? latencies[^1] : double.NaN):F1} |");
    }

    private static (long WorkingSet, long Heap) Memory()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return (process.WorkingSet64, GC.GetTotalMemory(forceFullCollection: true));
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static async Task Until(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition() && deadline.Elapsed < timeout)
        {
            await Task.Delay(20);
        }
    }

    private static void Seed(SandboxApiServer server, int size)
    {
        foreach (var (plural, kind) in new[] { ("canaries", "Canary"), ("canaryrequests", "CanaryRequest"), ("metrictemplates", "MetricTemplate"), ("alertproviders", "AlertProvider") })
        {
            server.Store.Create(BuiltInResources.CustomResourceDefinitions, null, Objects.Crd(plural, kind));
        }

        var canaries = new GroupVersionResource("canary.dev", "v1beta1", "canaries");
        for (var i = 0; i < size; i++)
        {
            var name = $"app-{i:D5}";
            server.Store.Create(BuiltInResources.Deployments, "default", Objects.Deployment(name));
            server.Store.Create(canaries, "default", Objects.Canary(name));
        }
    }

    private static void Touch(SandboxApiServer server, string name, string image)
    {
        var current = server.Store.Get(BuiltInResources.Deployments, "default", name);
        current["spec"]!["template"]!["spec"]!["containers"]![0]!["image"] = image;
        server.Store.Update(BuiltInResources.Deployments, "default", current);
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
