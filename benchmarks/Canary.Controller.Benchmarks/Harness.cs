using System.Diagnostics;
using Canary.Sandbox.ApiServer.Accounting;

namespace Canary.Controller.Benchmarks;

/// <summary>The controller's flags a run varies, and the helpers both engine modes share.</summary>
internal sealed record ControllerFlags(int Hosts, int Threadiness, double Qps, int Burst, bool LeaderElection, bool Sharding)
{
    /// <summary>
    /// --hosts (default 1), --threadiness, --qps, --burst (the controller's defaults), --leader-election (on, as
    /// manifests/ deploys it), --sharding (the hosts split the Canaries; turns leader election off).
    /// </summary>
    public static ControllerFlags From(Cli cli)
    {
        var sharding = cli.String("sharding", "false") == "true";
        return new(cli.Int("hosts", 1), cli.Int("threadiness", 2), cli.Double("qps", 100), cli.Int("burst", 250),
            !sharding && cli.String("leader-election", "true") == "true", sharding);
    }

    public string Describe() =>
        $"{Hosts} host(s), threadiness {Threadiness}, API client {Qps:0} qps / burst {Burst}, " +
        (Sharding ? "sharding" : $"leader election {(LeaderElection ? "on" : "off")}");
}

/// <summary>Starting N controller processes, reading their traces, classifying API requests.</summary>
internal static class Harness
{
    /// <summary>
    /// Starts <see cref="ControllerFlags.Hosts"/> controller processes against the sandbox, one after another (each
    /// returns once its host is built), all with the same settings. A sharding mode would give each its shard here.
    /// </summary>
    public static async Task<List<ControllerProcess>> StartControllersAsync(
        TestBed sandbox, string meshProvider, ControllerFlags flags, CancellationToken cancellationToken)
    {
        var hosts = new List<ControllerProcess>();
        for (var i = 0; i < flags.Hosts; i++)
        {
            var settings = new HostSettings(sandbox.Kubeconfig, sandbox.Prometheus.Url, meshProvider, flags.Threadiness, flags.Qps, flags.Burst, flags.LeaderElection, flags.Sharding);
            hosts.Add(await ControllerProcess.StartAsync(settings, i, cancellationToken));
        }

        return hosts;
    }

    public static async Task StopAsync(IEnumerable<ControllerProcess> hosts)
    {
        foreach (var host in hosts)
        {
            await host.DisposeAsync();
        }
    }

    public static async Task TraceAsync(IEnumerable<ControllerProcess> hosts, bool on, CancellationToken cancellationToken)
    {
        foreach (var host in hosts)
        {
            await host.TraceAsync(on, cancellationToken);
        }
    }

    public static TimeSpan CpuTime(IEnumerable<ControllerProcess> hosts) => hosts.Aggregate(TimeSpan.Zero, (sum, h) => sum + h.CpuTime);

    /// <summary>Watch (informers), lease (leader election) or other (everything the reconcilers and elections do besides).</summary>
    public static string Kind(RequestKey key) =>
        key.Verb == "watch" ? "watch" : key.Resource.StartsWith("leases", StringComparison.Ordinal) ? "lease" : "other";

    /// <summary>Waits until the controllers have made no "other" request for <paramref name="quiet"/> (their queues drained).</summary>
    public static async Task<TimeSpan> WaitQuietAsync(TestBed sandbox, TimeSpan quiet, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var last = Others(sandbox.Counters.Snapshot());
        var quietSince = watch.Elapsed;
        while (watch.Elapsed < timeout && watch.Elapsed - quietSince < quiet)
        {
            await Task.Delay(250, cancellationToken);
            var now = Others(sandbox.Counters.Snapshot());
            if (now != last || sandbox.Counters.InFlight > 0)
            {
                last = now;
                quietSince = watch.Elapsed;
            }
        }

        return watch.Elapsed;
    }

    /// <summary>"verb resource count" of the largest entries, for the notes under a table.</summary>
    public static string Breakdown(IEnumerable<(RequestKey Key, long Count)> delta, double divisor, int top = 12) =>
        string.Join(", ", delta
            .GroupBy(d => $"{d.Key.Verb} {d.Key.Resource}")
            .Select(g => (Name: g.Key, Count: g.Sum(d => d.Count)))
            .OrderByDescending(g => g.Count)
            .Take(top)
            .Select(g => $"{g.Name} {Stats.F(g.Count / divisor, "0.##")}"));

    /// <summary>Prints progress to stderr every 10 s until <paramref name="done"/> or the timeout; true when done.</summary>
    public static async Task<bool> WaitAsync(Func<bool> done, Func<string> progress, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var nextReport = TimeSpan.FromSeconds(10);
        while (!done())
        {
            if (watch.Elapsed > timeout)
            {
                return false;
            }

            if (watch.Elapsed > nextReport)
            {
                await Console.Error.WriteLineAsync($"  {watch.Elapsed.TotalSeconds:0}s: {progress()}");
                nextReport += TimeSpan.FromSeconds(10);
            }

            await Task.Delay(50, cancellationToken);
        }

        return true;
    }

    private static long Others(IReadOnlyDictionary<RequestKey, long> counts) => counts.Where(kv => Kind(kv.Key) == "other").Sum(kv => kv.Value);
}
