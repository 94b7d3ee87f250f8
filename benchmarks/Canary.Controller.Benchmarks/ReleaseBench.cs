using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using System.Text.Json.Nodes;
using Canary.Api.Durations;
using Canary.Sandbox.ApiServer.Accounting;
using Canary.Sandbox.Traffic;

namespace Canary.Controller.Benchmarks;

/// <summary>
/// N releases at once with the real rollout engine: N Deployments with a weighted Canary each (provider
/// <c>gatewayapi:v1</c>, time-scaled analysis: a check of the built-in request-success-rate against the real Prometheus
/// every interval, 10 % steps to 50 %), simulated clients on every app so Prometheus has the Envoy series the check reads,
/// then every Deployment gets a new image at the same moment. Lateness of each step is read from what the controller
/// records: <c>status.timeline</c> (the time each tick decided a phase or weight change).
/// </summary>
internal static partial class ReleaseBench
{
    private static readonly string[] Decided = ["Succeeded", "Failed"];

    public static async Task<int> MainAsync(Cli cli, CancellationToken cancellationToken)
    {
        var sizes = Cli.Sizes(cli.Positional.FirstOrDefault() ?? "1000");
        var run = new ReleaseRun(
            Interval: cli.String("interval", "2s"),
            Window: cli.String("window", "10s"),
            RequestsPerSecond: cli.Double("rps", 20),
            Scrape: TimeSpan.FromSeconds(cli.Double("scrape", 1)),
            Timeout: TimeSpan.FromSeconds(cli.Int("timeout", 480)),
            Flags: ControllerFlags.From(cli));
        Console.WriteLine($"Canary controller benchmark, simultaneous releases: {Environment.ProcessorCount} cores, .NET {Environment.Version}; {run.Flags.Describe()}; " +
                          $"analysis every {run.Interval}, request-success-rate over {run.Window}, 10 % steps to 50 %, threshold 3; " +
                          $"{run.RequestsPerSecond} simulated requests/s per app, Prometheus scraping every {run.Scrape.TotalSeconds} s");
        foreach (var size in sizes)
        {
            await RunAsync(size, run, cancellationToken);
        }

        return 0;
    }

    private static async Task RunAsync(int size, ReleaseRun run, CancellationToken cancellationToken)
    {
        var interval = GoDuration.TryParse(run.Interval, out var parsed) ? parsed : throw new ArgumentException($"bad --interval {run.Interval}");
        await Console.Error.WriteLineAsync($"[releases {size}] starting the sandbox and seeding {size} Deployments + Canaries");
        await using var sandbox = await TestBed.StartAsync(new SandboxSettings(size, TimeSpan.FromMilliseconds(500), run.Scrape, HttpRoutes: true), cancellationToken);
        // A namespace per app: the traffic simulator finds a Service's endpoints by scanning its namespace's pods.
        var apps = Enumerable.Range(0, size).Select(i => App.Of(i, ownNamespace: true)).ToList();
        sandbox.Seed(apps, replicas: 1, app => Objects.ReleaseCanary(app, run.Interval, run.Window));
        foreach (var app in apps)
        {
            sandbox.Traffic.AddApp(new TrafficApp { Namespace = app.Namespace, Name = app.Name, Provider = "gatewayapi:v1", RequestsPerSecond = run.RequestsPerSecond });
        }

        await sandbox.WaitDeploymentsReadyAsync(size, TimeSpan.FromMinutes(5), cancellationToken);
        await using var board = new CanaryBoard(sandbox.Store);

        // Installing is not what is measured: a setup controller without the client rate limit initializes every Canary,
        // then the measured host(s) start on an installed fleet, as after a controller upgrade.
        await Console.Error.WriteLineAsync($"[releases {size}] initializing with a setup controller");
        var setup = await Harness.StartControllersAsync(sandbox, "gatewayapi:v1", run.Flags with { Hosts = 1, Qps = 5000, Burst = 10000 }, cancellationToken);
        var initialized = await Harness.WaitAsync(() => board.Count("Initialized") >= size, board.Summary, run.Timeout, cancellationToken);
        await Harness.StopAsync(setup);
        if (!initialized)
        {
            Console.WriteLine($"{size} releases: only {board.Count("Initialized")} Canaries initialized within {run.Timeout.TotalSeconds:0} s ({board.Summary()}); no release started.");
            return;
        }

        var beforeRestart = await sandbox.SnapshotAsync(cancellationToken);
        var hosts = await Harness.StartControllersAsync(sandbox, "gatewayapi:v1", run.Flags, cancellationToken);
        try
        {
            var startedAt = hosts.Min(h => h.StartingAt);
            foreach (var host in hosts)
            {
                await host.WaitSyncedAsync(TimeSpan.FromMinutes(5), cancellationToken);
            }

            // Every key is reconciled once after the caches fill; the releases start once that is over.
            await Harness.WaitQuietAsync(sandbox, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(300), cancellationToken);
            var restart = TestBed.Delta(beforeRestart, await sandbox.SnapshotAsync(cancellationToken)).Where(d => Harness.Kind(d.Key) == "other").ToList();
            var restartNote = $"Start of the measured controller on the installed fleet: {restart.Sum(d => d.Count):N0} API requests ({Harness.Breakdown(restart, size)} per Canary), " +
                              $"quiet {Stats.Ms(startedAt, Stopwatch.GetTimestamp()) / 1000 - 3:0} s after the host started.";
            await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken);

            await Console.Error.WriteLineAsync($"[releases {size}] all initialized; releasing {size} new images at once");
            var before = await sandbox.SnapshotAsync(cancellationToken);
            var prometheusBefore = await sandbox.PrometheusSelfAsync(cancellationToken);
            var cpuBefore = Harness.CpuTime(hosts);
            using var self = Process.GetCurrentProcess();
            var sandboxCpuBefore = self.TotalProcessorTime;
            await Harness.TraceAsync(hosts, on: true, cancellationToken);
            var releasedAt = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
            var started = Stopwatch.GetTimestamp();
            foreach (var app in apps)
            {
                releasedAt[app.Key] = DateTimeOffset.UtcNow;
                sandbox.SetImage(app, "app:2");
            }

            var releaseLoop = Stats.Ms(started, Stopwatch.GetTimestamp());
            var allDecided = await Harness.WaitAsync(() => board.Count(Decided) >= size, board.Summary, run.Timeout, cancellationToken);
            var elapsed = Stats.Ms(started, Stopwatch.GetTimestamp()) / 1000;
            await Harness.TraceAsync(hosts, on: false, cancellationToken);
            var cpu = Harness.CpuTime(hosts) - cpuBefore;
            self.Refresh();
            var sandboxCpu = self.TotalProcessorTime - sandboxCpuBefore;
            var prometheusAfter = await sandbox.PrometheusSelfAsync(cancellationToken);
            var requests = TestBed.Delta(before, await sandbox.SnapshotAsync(cancellationToken));

            var canaries = sandbox.Store.List(CanaryBoard.Canaries, null).Items.Select(c => Observed.From(c, releasedAt)).ToList();
            var trace = hosts.SelectMany(h => h.Trace).ToList();
            Report(size, run, interval, canaries, trace, requests, cpu, sandboxCpu, prometheusBefore, prometheusAfter, elapsed, allDecided, releaseLoop, hosts);
            Console.WriteLine(restartNote);
        }
        finally
        {
            await Harness.StopAsync(hosts);
        }
    }

    private static void Report(
        int size, ReleaseRun run, TimeSpan interval, List<Observed> canaries, List<TraceRecord> trace, List<(RequestKey Key, long Count)> requests,
        TimeSpan cpu, TimeSpan sandboxCpu, (double Queries, double Cpu) prometheusBefore, (double Queries, double Cpu) prometheusAfter,
        double elapsed, bool allDecided, double releaseLoopMs, List<ControllerProcess> hosts)
    {
        var promoted = canaries.Count(c => c.Phase == "Succeeded");
        var failed = canaries.Count(c => c.Phase == "Failed");
        var steps = canaries.SelectMany(c => c.Steps(interval)).ToList();
        var analysis = steps.Where(s => s.Analysis).ToList();
        var checks = canaries.Sum(c => c.Checks);
        var nonWatch = requests.Where(r => r.Key.Verb != "watch" && Harness.Kind(r.Key) != "lease").Sum(r => r.Count);
        var queries = prometheusAfter.Queries - prometheusBefore.Queries;
        var lastDecided = canaries.Where(c => c.DecidedAt is not null).Select(c => c.DecidedAt!.Value).DefaultIfEmpty().Max();
        var firstRelease = canaries.Select(c => c.ReleasedAt).DefaultIfEmpty().Min();
        var decidedSeconds = allDecided ? (lastDecided - firstRelease).TotalSeconds : elapsed;

        Console.WriteLine();
        Console.WriteLine($"**{size:N0} simultaneous releases** ({(allDecided ? "all decided" : $"NOT all decided within {run.Timeout.TotalSeconds:0} s")}; the {size:N0} image updates took {releaseLoopMs:0} ms):");
        Console.WriteLine();
        Console.WriteLine("| releases | promoted | failed | undecided | last decided (s) | steps | API requests / step | Prometheus queries / step | queries / check | controller CPU (s) | CPU / step (ms) | sandbox CPU (s) | Prometheus CPU (s) |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {size:N0} | {promoted:N0} | {failed:N0} | {size - promoted - failed:N0} | {decidedSeconds:F0} | {steps.Count:N0} | {Per(nonWatch, steps.Count)} | {Per(queries, steps.Count)} | {Per(queries, checks)} | {cpu.TotalSeconds:F1} | {Per(cpu.TotalMilliseconds, steps.Count, "F1")} | {sandboxCpu.TotalSeconds:F1} | {prometheusAfter.Cpu - prometheusBefore.Cpu:F1} |"));

        Console.WriteLine();
        Console.WriteLine($"Lateness against the schedule, from status.timeline and the times of status.checks: (time of step k) − (time of step k−1) − n × {run.Interval}, n = ticks the step took (1 + checks that held it):");
        Console.WriteLine();
        Console.WriteLine("| step | count | held ticks | lateness p50 / p99 / max (ms) |");
        Console.WriteLine("|---|---:|---:|---:|");
        Console.WriteLine($"| image update → first tick (start lag) | {canaries.Count(c => c.StartLag is not null):N0} | - | {Stats.Summary(canaries.Where(c => c.StartLag is not null).Select(c => c.StartLag!.Value))} |");
        foreach (var group in steps.GroupBy(s => s.Label).OrderBy(g => g.Min(s => s.Index)))
        {
            Console.WriteLine($"| {group.Key} | {group.Count():N0} | {group.Sum(s => s.Held):N0} | {Stats.Summary(group.Select(s => s.LatenessMs))} |");
        }

        Console.WriteLine($"| **analysis steps** (from a Progressing entry) | {analysis.Count:N0} | {analysis.Sum(s => s.Held):N0} | **{Stats.Summary(analysis.Select(s => s.LatenessMs))}** |");
        Console.WriteLine($"| every tick that recorded a step or a check, against the previous one | {canaries.Sum(c => c.TickLateness(interval).Count()):N0} | - | {Stats.Summary(canaries.SelectMany(c => c.TickLateness(interval)))} |");
        Console.WriteLine();
        var ticks = Decompose(trace, interval);
        Console.WriteLine();
        Console.WriteLine("Where the time goes (controller-side timestamps of the decorated reconciler, router resolver and analysis runner):");
        Console.WriteLine();
        Console.WriteLine("| measure | count | p50 / p99 / max (ms) |");
        Console.WriteLine("|---|---:|---:|");
        Console.WriteLine($"| engine tick: start → reconcile end | {ticks.Durations.Count:N0} | {Stats.Summary(ticks.Durations)} |");
        Console.WriteLine($"| metric check (request-success-rate query) | {ticks.Analyses.Count:N0} | {Stats.Summary(ticks.Analyses)} |");
        Console.WriteLine($"| queue slip: tick start − (previous reconcile end + {run.Interval}) | {ticks.Slips.Count:N0} | {Stats.Summary(ticks.Slips)} |");
        Console.WriteLine($"| reconcile calls (all, incl. early wake-ups that only re-arm the timer) | {ticks.Reconciles:N0} | {Stats.F(ticks.Reconciles / (double)Math.Max(1, ticks.Ticks), "0.00")} per engine tick |");

        Console.WriteLine();
        Console.WriteLine($"API requests per step: {Harness.Breakdown(requests.Where(r => r.Key.Verb != "watch"), steps.Count)}; per release {Per(nonWatch, size)}; leases {requests.Where(r => Harness.Kind(r.Key) == "lease").Sum(r => r.Count)}, watches {requests.Where(r => r.Key.Verb == "watch").Sum(r => r.Count)}.");
        Console.WriteLine($"Metric checks recorded in status: {checks:N0} ({canaries.Count(c => c.FailedChecks > 0)} releases with failed checks); Prometheus instant queries {queries:N0}.");
        foreach (var reason in canaries.Where(c => c.Phase == "Failed" || c.FailedChecks > 0).GroupBy(c => AppName().Replace(c.LastFailure ?? "(no failed check recorded)", "app-N")).OrderByDescending(g => g.Count()).Take(5))
        {
            Console.WriteLine($"  {reason.Count()} × {reason.Key}");
        }

        var errors = hosts.Sum(h => h.ErrorLines);
        if (errors > 0)
        {
            Console.WriteLine($"Controller log lines at warning or above: {errors}; last: {hosts.SelectMany(h => h.LastErrors).LastOrDefault()}");
        }
    }

    [GeneratedRegex(@"app-\d{5}")]
    private static partial Regex AppName();

    private static string Per(double total, int count, string format = "F2") => count == 0 ? "-" : Stats.F(total / count, format);

    /// <summary>
    /// From the trace: each engine tick's duration (its start to the end of the reconcile holding it), each check's query
    /// time, and the slip of each tick behind the time the previous one asked for (end of its reconcile + interval).
    /// </summary>
    private static (List<double> Durations, List<double> Analyses, List<double> Slips, int Reconciles, int Ticks) Decompose(List<TraceRecord> trace, TimeSpan interval)
    {
        var durations = new List<double>();
        var slips = new List<double>();
        foreach (var key in trace.GroupBy(t => t.Key))
        {
            var reconciles = key.Where(t => t.Kind == 'R').OrderBy(t => t.Start).ToList();
            long? previousEnd = null;
            foreach (var tick in key.Where(t => t.Kind == 'T').OrderBy(t => t.Start))
            {
                var holder = reconciles.FirstOrDefault(r => r.Start <= tick.Start && tick.Start <= r.End);
                if (holder.Key is null)
                {
                    previousEnd = null;
                    continue;
                }

                durations.Add(Stats.Ms(tick.Start, holder.End));
                if (previousEnd is { } end)
                {
                    slips.Add(Stats.Ms(end, tick.Start) - interval.TotalMilliseconds);
                }

                previousEnd = holder.End;
            }
        }

        var analyses = trace.Where(t => t.Kind == 'A').Select(t => Stats.Ms(t.Start, t.End)).ToList();
        return (durations, analyses, slips, trace.Count(t => t.Kind == 'R'), trace.Count(t => t.Kind == 'T'));
    }

    private sealed record ReleaseRun(string Interval, string Window, double RequestsPerSecond, TimeSpan Scrape, TimeSpan Timeout, ControllerFlags Flags);

    private sealed record Step(int Index, string Label, double LatenessMs, int Held, bool Analysis);

    /// <summary>One Canary's outcome as its status tells it.</summary>
    private sealed record Observed(
        string Name, string Phase, IReadOnlyList<(DateTimeOffset Time, string Phase, int Weight)> Timeline, IReadOnlyList<DateTimeOffset> CheckTimes,
        int FailedChecks, string? LastFailure, DateTimeOffset ReleasedAt)
    {
        public int Checks => CheckTimes.Count;

        public double? StartLag => Timeline.Count > 0 ? (Timeline[0].Time - ReleasedAt).TotalMilliseconds : null;

        public DateTimeOffset? DecidedAt => Timeline.Count > 0 && Decided.Contains(Timeline[^1].Phase) ? Timeline[^1].Time : null;

        public static Observed From(JsonObject canary, IReadOnlyDictionary<string, DateTimeOffset> releasedAt)
        {
            var name = $"{canary["metadata"]?["namespace"]}/{canary["metadata"]?["name"]}";
            var status = canary["status"] as JsonObject;
            var timeline = (status?["timeline"] as JsonArray ?? [])
                .OfType<JsonObject>()
                .Select(e => (Time: DateTimeOffset.Parse((string)e["time"]!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
                    Phase: (string?)e["phase"] ?? string.Empty, Weight: (int)Stats.Long(e["weight"])))
                .ToList();
            var checks = (status?["checks"] as JsonArray ?? []).OfType<JsonObject>().ToList();
            var lastFailure = checks.LastOrDefault(c => (string?)c["verdict"] is not ("Pass" or "pass"))?["message"]?.ToString();
            var checkTimes = checks.Select(c => DateTimeOffset.Parse((string)c["time"]!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal)).ToList();
            return new Observed(
                name, (string?)status?["phase"] ?? string.Empty, timeline, checkTimes, (int)Stats.Long(status?["failedChecks"]), lastFailure,
                releasedAt.GetValueOrDefault(name));
        }

        // A tick that neither moves the release nor records a check (e.g. waiting for a pod) is not seen: it shows as lateness.
        public IEnumerable<Step> Steps(TimeSpan interval)
        {
            for (var i = 1; i < Timeline.Count; i++)
            {
                var (from, to) = (Timeline[i - 1], Timeline[i]);
                var held = CheckTimes.Where(t => t > from.Time && t < to.Time).Distinct().Count();
                yield return new Step(i, $"{Label(from)} → {Label(to)}", (to.Time - from.Time - ((held + 1) * interval)).TotalMilliseconds, held, from.Phase == "Progressing");
            }
        }

        /// <summary>Every tick seen (a timeline entry or a check, same time when one tick did both), against the previous one.</summary>
        public IEnumerable<double> TickLateness(TimeSpan interval)
        {
            var ticks = Timeline.Select(e => e.Time).Concat(CheckTimes).Distinct().Order().ToList();
            return ticks.Skip(1).Select((t, i) => (t - ticks[i] - interval).TotalMilliseconds);
        }

        private static string Label((DateTimeOffset Time, string Phase, int Weight) entry) =>
            entry.Phase == "Progressing" ? $"{entry.Weight} %" : entry.Phase;
    }
}
