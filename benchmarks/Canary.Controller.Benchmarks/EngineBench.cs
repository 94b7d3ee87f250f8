using System.Diagnostics;
using System.Globalization;
using Canary.Sandbox.ApiServer.Resources;

namespace Canary.Controller.Benchmarks;

/// <summary>
/// The fleet benchmark with the real rollout engine: N Deployments with a blue/green Canary each (provider
/// <c>kubernetes</c>, Flagger's 1 m interval), every one initialized by the engine against the emulated API server
/// (primary Deployment rolled out by the workload simulator, apex/primary/canary Services, status Initialized), then
/// an idle window and pod-template changes timed to the controller's first reaction.
/// </summary>
internal static class EngineBench
{
    private const string Header =
        "| canaries | cache sync (s) | all Initialized (s) | working set (MB) | managed heap (MB) | idle req/min watch | lease | other | idle CPU (ms/min) | change→reconcile p50 / p99 / max (ms) | change→engine tick (ms) | change→status Progressing (ms) |\n" +
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|";

    public static async Task<int> MainAsync(Cli cli, CancellationToken cancellationToken)
    {
        var sizes = Cli.Sizes(cli.Positional.FirstOrDefault() ?? "1000,10000");
        var flags = ControllerFlags.From(cli);
        var run = new EngineRun(
            IdleSeconds: cli.Int("idle", 60),
            Changes: cli.Int("changes", 200),
            Spacing: TimeSpan.FromMilliseconds(cli.Int("spacing-ms", 100)),
            InitializeTimeout: TimeSpan.FromSeconds(cli.Int("timeout", 480)),
            OwnNamespaces: cli.String("namespaces", "own") == "own",
            Flags: flags);
        Console.WriteLine($"Canary controller benchmark, real rollout engine: {Environment.ProcessorCount} cores, .NET {Environment.Version}; {flags.Describe()}; " +
                          $"idle window {run.IdleSeconds}s; {run.Changes} pod-template changes {run.Spacing.TotalMilliseconds:0} ms apart; memory and CPU summed over the hosts");
        var notes = new List<string>();
        Console.WriteLine(Header);
        foreach (var size in sizes)
        {
            var (row, note) = await RunAsync(size, run, cancellationToken);
            Console.WriteLine(row);
            notes.Add(note);
        }

        Console.WriteLine();
        foreach (var note in notes)
        {
            Console.WriteLine(note);
        }

        return 0;
    }

    private static async Task<(string Row, string Note)> RunAsync(int size, EngineRun run, CancellationToken cancellationToken)
    {
        await Console.Error.WriteLineAsync($"[engine {size}] starting the sandbox and seeding {size} Deployments + Canaries");
        await using var sandbox = await TestBed.StartAsync(new SandboxSettings(size, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1), HttpRoutes: false), cancellationToken);
        var apps = Enumerable.Range(0, size).Select(i => App.Of(i, run.OwnNamespaces)).ToList();
        sandbox.Seed(apps, replicas: 1, Objects.FleetCanary);
        await sandbox.WaitDeploymentsReadyAsync(size, TimeSpan.FromMinutes(5), cancellationToken);
        await using var board = new CanaryBoard(sandbox.Store);
        var note = new List<string> { $"**{size:N0} Canaries**:" };

        var beforeInit = await sandbox.SnapshotAsync(cancellationToken);
        await Console.Error.WriteLineAsync($"[engine {size}] starting {run.Flags.Hosts} controller process(es)");
        var hosts = await Harness.StartControllersAsync(sandbox, "kubernetes", run.Flags, cancellationToken);
        try
        {
            var startedAt = hosts.Min(h => h.StartingAt);
            var synced = new List<long>();
            foreach (var host in hosts)
            {
                synced.Add(await host.WaitSyncedAsync(TimeSpan.FromMinutes(5), cancellationToken));
            }

            var syncSeconds = hosts.Select((h, i) => Stats.Ms(h.StartingAt, synced[i]) / 1000).Max();
            var initialized = await Harness.WaitAsync(
                () => board.Count("Initialized") >= size, () => board.Summary(), run.InitializeTimeout, cancellationToken);
            var initSeconds = Stats.Ms(startedAt, Stopwatch.GetTimestamp()) / 1000;
            var initCpu = Harness.CpuTime(hosts);
            var initDelta = TestBed.Delta(beforeInit, await sandbox.SnapshotAsync(cancellationToken));
            note.Add($"initialization: {initDelta.Sum(d => d.Count):N0} API requests ({Stats.F(initDelta.Sum(d => d.Count) / (double)size, "0.0")} per Canary: " +
                     $"{Harness.Breakdown(initDelta, size)}), controller CPU {initCpu.TotalSeconds:0.0} s.");
            if (!initialized)
            {
                var done = board.Count("Initialized");
                note.Add($"NOT all initialized: {done:N0} of {size:N0} after {initSeconds:0} s ({board.Summary()}); " +
                         $"rate {done / initSeconds:0.0} Canaries/s, so all would take about {size / Math.Max(1, done / initSeconds):0} s. Idle and change measurements skipped.");
                var (ws, heap) = await MemoryAsync(hosts, cancellationToken);
                return ($"| {size:N0} | {syncSeconds:F2} | {done:N0} of {size:N0} in {initSeconds:0} | {ws / 1e6:F0} | {heap / 1e6:F0} | - | - | - | - | - | - | - |", string.Join(" ", note));
            }

            note.Add(Verify(sandbox, apps));
            var initializing = apps.Select(a => (board.FirstAt(a.Key, "Initializing"), board.FirstAt(a.Key, "Initialized")))
                .Where(p => p.Item1 is not null && p.Item2 is not null).Select(p => Stats.Ms(p.Item1!.Value, p.Item2!.Value) / 1000).ToList();
            note.Add($"per Canary, status Initializing → Initialized p50 / p99 / max {Stats.Summary(initializing, "F1")} s.");
            var beforeSettle = await sandbox.SnapshotAsync(cancellationToken);
            var settled = await Harness.WaitQuietAsync(sandbox, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(180), cancellationToken);
            var settle = TestBed.Delta(beforeSettle, await sandbox.SnapshotAsync(cancellationToken)).Where(d => Harness.Kind(d.Key) == "other").ToList();
            var (workingSet, managedHeap) = await MemoryAsync(hosts, cancellationToken);
            note.Add($"quiet (no request but leases and watches for 3 s) {settled.TotalSeconds - 3:0} s after the last Initialized; meanwhile {settle.Sum(d => d.Count):N0} requests ({Harness.Breakdown(settle, 1, 6)}).");

            await Console.Error.WriteLineAsync($"[engine {size}] all initialized after {initSeconds:0} s; idle window {run.IdleSeconds} s");
            var beforeIdle = await sandbox.SnapshotAsync(cancellationToken);
            var cpuBefore = Harness.CpuTime(hosts);
            await Task.Delay(TimeSpan.FromSeconds(run.IdleSeconds), cancellationToken);
            var idle = TestBed.Delta(beforeIdle, await sandbox.SnapshotAsync(cancellationToken));
            var idleCpuPerMinute = (Harness.CpuTime(hosts) - cpuBefore).TotalMilliseconds * 60 / run.IdleSeconds;
            double PerMinute(string kind) => idle.Where(d => Harness.Kind(d.Key) == kind).Sum(d => d.Count) * 60.0 / run.IdleSeconds;
            if (idle.Count > 0)
            {
                note.Add($"idle requests/min: {Harness.Breakdown(idle, run.IdleSeconds / 60.0)}.");
            }

            await Console.Error.WriteLineAsync($"[engine {size}] {run.Changes} pod-template changes");
            var (reconcile, tick, progressing, missing) = await ChangesAsync(sandbox, board, hosts, apps, run, cancellationToken);
            if (missing > 0)
            {
                note.Add($"{missing} changes without a status write within 60 s.");
            }

            var errors = hosts.Sum(h => h.ErrorLines);
            if (errors > 0)
            {
                note.Add($"controller log lines at warning or above: {errors} (last: {hosts.SelectMany(h => h.LastErrors).LastOrDefault()}).");
            }

            return (string.Create(CultureInfo.InvariantCulture,
                $"| {size:N0} | {syncSeconds:F2} | {initSeconds:F0} | {workingSet / 1e6:F0} | {managedHeap / 1e6:F0} | {PerMinute("watch"):F1} | {PerMinute("lease"):F1} | {PerMinute("other"):F1} | {idleCpuPerMinute:F0} | {Stats.Summary(reconcile, "F1")} | {Stats.Summary(tick, "F1")} | {Stats.Summary(progressing, "F1")} |"),
                string.Join(" ", note));
        }
        finally
        {
            await Harness.StopAsync(hosts);
        }
    }

    private static async Task<(long WorkingSet, long Heap)> MemoryAsync(List<ControllerProcess> hosts, CancellationToken cancellationToken)
    {
        long workingSet = 0, heap = 0;
        foreach (var host in hosts)
        {
            var (ws, h) = await host.MemoryAsync(cancellationToken);
            workingSet += ws;
            heap += h;
        }

        return (workingSet, heap);
    }

    // What initialization must have produced for every Canary: the primary Deployment and the three Services.
    private static string Verify(TestBed sandbox, List<App> apps)
    {
        var deployments = sandbox.Keys(BuiltInResources.Deployments);
        var services = sandbox.Keys(BuiltInResources.Services);
        var primaries = apps.Count(a => deployments.Contains(a.Key + "-primary"));
        var complete = apps.Count(a => services.Contains(a.Key) && services.Contains(a.Key + "-primary") && services.Contains(a.Key + "-canary"));
        return $"verified: {primaries:N0} primary Deployments, {complete:N0} Canaries with apex, -primary and -canary Services.";
    }

    /// <summary>
    /// Changes the pod template of distinct random Canaries' Deployments, spaced out (each measures the path, not the
    /// queue behind the others), and times the first reconcile of that Canary, the first engine tick and the status
    /// write the new revision causes (Progressing).
    /// </summary>
    private static async Task<(List<double> Reconcile, List<double> Tick, List<double> Progressing, int Missing)> ChangesAsync(
        TestBed sandbox, CanaryBoard board, List<ControllerProcess> hosts, List<App> apps, EngineRun run, CancellationToken cancellationToken)
    {
        await Harness.TraceAsync(hosts, on: true, cancellationToken);
        var changed = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var app in apps.OrderBy(_ => Random.Shared.Next()).Take(run.Changes))
        {
            changed[app.Key] = Stopwatch.GetTimestamp();
            sandbox.SetImage(app, "app:2");
            await Task.Delay(run.Spacing, cancellationToken);
        }

        await Harness.WaitAsync(() => changed.Keys.All(n => board.FirstAt(n, "Progressing") is not null), () => "waiting for Progressing", TimeSpan.FromSeconds(60), cancellationToken);
        await Task.Delay(500, cancellationToken);
        await Harness.TraceAsync(hosts, on: false, cancellationToken);
        var trace = hosts.SelectMany(h => h.Trace).ToList();
        List<double> First(char kind) => [.. changed.Select(c => trace
                .Where(t => t.Kind == kind && t.Key == c.Key && t.Start >= c.Value)
                .Select(t => (double?)Stats.Ms(c.Value, t.Start)).Min())
            .OfType<double>()];
        var progressing = changed.Select(c => board.FirstAt(c.Key, "Progressing") is { } at ? Stats.Ms(c.Value, at) : (double?)null).OfType<double>().ToList();
        return (First('R'), First('T'), progressing, changed.Count - progressing.Count);
    }

    private sealed record EngineRun(int IdleSeconds, int Changes, TimeSpan Spacing, TimeSpan InitializeTimeout, bool OwnNamespaces, ControllerFlags Flags);
}
