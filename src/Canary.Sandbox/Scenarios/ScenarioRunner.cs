using System.Diagnostics;
using System.Globalization;
using Canary.Sandbox.Demo;
using Canary.Sandbox.Prometheus;

namespace Canary.Sandbox.Scenarios;

/// <summary>
/// Runs every <see cref="ReleaseRun"/> at once in one sandbox (<see cref="DemoEnvironment"/>: emulated API server,
/// workload and traffic simulators, one Prometheus, the controller in process): installs them all, waits until every
/// Canary is Initialized, releases them together and collects how each ended.
/// </summary>
public sealed class ScenarioRunner(ScenarioRunnerOptions options, TextWriter progress)
{
    /// <summary>Runs <paramref name="runs"/>; throws <see cref="ScenarioSandboxException"/> when the sandbox fails.</summary>
    public async Task<ScenarioResults> RunAsync(IReadOnlyList<ReleaseRun> runs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var time = options.TimeProvider;
        var started = Stopwatch.GetTimestamp();
        Say($"Starting the sandbox for {runs.Count} releases (time scale {options.Scale.Factor.ToString(CultureInfo.InvariantCulture)}×)...");
        DemoEnvironment environment;
        try
        {
            environment = await DemoEnvironment.StartAsync(EnvironmentOptions(), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or IOException)
        {
            throw new ScenarioSandboxException($"could not start the sandbox: {e.Message}", e);
        }

        await using (environment.ConfigureAwait(false))
        {
            await using var board = new CanaryPhaseBoard(environment.Cluster.Store, time, options.PollInterval);
            var drivers = runs.Select(r => new ReleaseDriver(r, environment, board, options.Scale, options.Deadline, time)).ToList();
            foreach (var driver in drivers)
            {
                driver.Install();
            }

            await WaitInitializedAsync(drivers, environment, cancellationToken).ConfigureAwait(false);
            Say($"All {drivers.Count} Canaries initialized after {Stopwatch.GetElapsedTime(started).TotalSeconds:0}s; releasing.");
            var releases = drivers.Select(d => d.ReleaseAsync(cancellationToken)).ToList();
            await ReportProgressAsync(releases, cancellationToken).ConfigureAwait(false);
            var outcomes = await Task.WhenAll(releases).ConfigureAwait(false);
            return new ScenarioResults(outcomes, options.Scale, Stopwatch.GetElapsedTime(started));
        }
    }

    private DemoOptions EnvironmentOptions() => new()
    {
        DemoClients = false,
        TimeProvider = options.TimeProvider,
        TrafficTickInterval = options.TrafficTick,
        Timings = new DemoTimings { ReadyDelay = options.ReadyDelay },
        Prometheus = new PrometheusRunnerOptions { ScrapeInterval = options.ScrapeInterval, TimeProvider = options.TimeProvider },
        TuneController = c => c with { Threadiness = options.ControllerThreadiness, KubeApiQps = 5000, KubeApiBurst = 10000 },
    };

    private async Task WaitInitializedAsync(List<ReleaseDriver> drivers, DemoEnvironment environment, CancellationToken cancellationToken)
    {
        var deadline = options.TimeProvider.GetUtcNow() + options.InitializeTimeout;
        var initialized = await Task.WhenAll(drivers.Select(d => d.WaitInitializedAsync(deadline, cancellationToken))).ConfigureAwait(false);
        var stuck = drivers.Where((_, i) => !initialized[i]).Select(d => d.Run.Namespace).ToList();
        if (stuck.Count > 0)
        {
            var log = string.Join(Environment.NewLine, environment.ControllerLogs.Lines.TakeLast(20).Select(l => "  " + l));
            throw new ScenarioSandboxException(
                $"{stuck.Count} of {drivers.Count} Canaries were not Initialized within {options.InitializeTimeout.TotalSeconds:0}s " +
                $"(e.g. {string.Join(", ", stuck.Take(5))}); last controller log lines:{Environment.NewLine}{log}");
        }
    }

    // A line every 10 s while releases are pending, so a long benchmark shows it is alive.
    private async Task ReportProgressAsync(List<Task<RunOutcome>> releases, CancellationToken cancellationToken)
    {
        var all = Task.WhenAll(releases);
        while (!all.IsCompleted)
        {
            await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(10), options.TimeProvider, cancellationToken)).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            Say($"  {releases.Count(r => r.IsCompleted)}/{releases.Count} releases decided or timed out");
        }
    }

    private void Say(string line)
    {
        progress.WriteLine(line);
        progress.Flush();
    }
}
