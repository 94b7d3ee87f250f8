using System.Diagnostics;
using System.Globalization;
using Canary.Controller.Hosting;
using Canary.Controller.Informers;
using Canary.Controller.Reconciliation;
using Canary.Sandbox.ApiServer;
using Canary.Sandbox.ApiServer.Resources;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Canary.Controller.Benchmarks;

/// <summary>
/// The placeholder-reconciler benchmark: the informers, the queue and the workers with <see cref="LatencyReconciler"/> in
/// place of the rollout engine, the controller in this process.
/// </summary>
internal static class PlaceholderBench
{
    public const string Header =
        "| canaries | cache sync (s) | working set added (MB) | managed heap added (MB) | idle API requests/min (all) | idle non-watch requests/min | change->reconcile p50 (ms) | p99 (ms) | max (ms) |\n" +
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|";

    public static async Task<int> MainAsync(string[] args)
    {
        var sizes = Cli.Sizes(args.Length > 0 ? args[0] : "100,1000,10000");
        var idleSeconds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 30;
        var changes = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 200;
        Console.WriteLine($"Canary controller benchmark (placeholder reconciler): {Environment.ProcessorCount} cores, .NET {Environment.Version}, idle window {idleSeconds}s, {changes} changes per size");
        Console.WriteLine(Header);
        foreach (var size in sizes)
        {
            Console.WriteLine(await RunAsync(size, idleSeconds, changes));
        }

        return 0;
    }

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
            $"| {size:N0} | {syncTime.TotalSeconds:F2} | {(workingSetAfter - workingSetBefore) / 1e6:F0} | {(heapAfter - heapBefore) / 1e6:F0} | {idleAll:F1} | {idleNonWatch:F1} | {Stats.Percentile(latencies, 0.50):F1} | {Stats.Percentile(latencies, 0.99):F1} | {(latencies.Length > 0 ? latencies[^1] : double.NaN):F1} |");
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
        foreach (var crd in Objects.CanaryCrds())
        {
            server.Store.Create(BuiltInResources.CustomResourceDefinitions, null, crd);
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

    private static int FreePort() => Cli.FreePort();
}
