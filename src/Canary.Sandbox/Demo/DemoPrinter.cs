using System.Globalization;
using System.Text;
using Canary.Api.V1Beta1;

namespace Canary.Sandbox.Demo;

/// <summary>
/// Prints the story as it happens (one line per change of the Canary's phase, weight, iterations or failed checks, with
/// the primary's and canary's success rate and p99; the controller's warnings under it) and the one-screen summary.
/// </summary>
public sealed class DemoPrinter(TextWriter output, TimeProvider time)
{
    private readonly DateTimeOffset _start = time.GetUtcNow();

    /// <summary>What runs where, before the story starts.</summary>
    public void Environment(DemoEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        Write($"Canary demo: provider {environment.Options.Profile.Provider}{(environment.Options.Profile.BlueGreen ? " (blue/green)" : string.Empty)}");
        Write($"  API server   {environment.Cluster.BaseUrl.GetLeftPart(UriPartial.Authority)}  (kubeconfig {environment.KubeconfigPath})");
        Write($"  Prometheus   {environment.Prometheus.Url}  (scraping the simulated traffic every 1s)");
        var profile = environment.Options.Profile;
        var timings = environment.Options.Timings;
        Write($"  controller   in process, analysis every {Seconds(timings.AnalysisInterval)}, rollback after {timings.Threshold.ToString(CultureInfo.InvariantCulture)} failed checks");
        if (profile.Judge)
        {
            Write($"  checks       the judge: canary vs primary over each step (failure share, {profile.DurationStatistic} latency; at most 1.5x the primary's, 99% confidence, {timings.MinSamples.ToString(CultureInfo.InvariantCulture)} requests a side)");
            Write($"               with hard limits request-success-rate ≥ 99%, request-duration ≤ {profile.DurationThresholdMs.ToString(CultureInfo.InvariantCulture)}ms");
        }
        else if (environment.InfluxDb is not null || environment.Graphite is not null)
        {
            var (store, url, language) = environment.InfluxDb is { } influxDb ? ("InfluxDB", influxDb.Url, "influxdb (InfluxQL)") : ("Graphite", environment.Graphite!.Url, "graphite (render targets)");
            Write($"  {store,-12} {url}  (each workload's totals pushed every 1s, as through StatsD/Telegraf)");
            Write($"  checks       MetricTemplates of type {language} on the canary's own totals: request-success-rate ≥ 99%, mean request-duration ≤ {profile.DurationThresholdMs.ToString(CultureInfo.InvariantCulture)}ms (no judge)");
        }
        else
        {
            Write($"  checks       thresholds on what the data plane reports for the canary route (both versions mixed, no judge): request-success-rate ≥ 99%, request-duration ≤ {profile.DurationThresholdMs.ToString(CultureInfo.InvariantCulture)}ms");
        }
        Write($"  traffic      {timings.RequestsPerSecond.ToString("0", CultureInfo.InvariantCulture)} req/s to {DemoManifests.AppName}.{DemoManifests.Namespace}{(profile.BlueGreen ? $", a load tester on {DemoManifests.AppName}-canary" : string.Empty)}");
        Write(string.Empty);
    }

    /// <summary>A step starts.</summary>
    public void StepStarted(int number, string name, string change) => Write($"── {number.ToString(CultureInfo.InvariantCulture)}. {name}: {change}");

    /// <summary>A live line: the Canary's state and the two workloads' numbers now.</summary>
    public void Live(string step, CanarySnapshot canary, MetricSample metrics, int threshold, bool blueGreen)
    {
        ArgumentNullException.ThrowIfNull(canary);
        ArgumentNullException.ThrowIfNull(metrics);
        var progress = blueGreen
            ? $"iteration {canary.Iterations.ToString(CultureInfo.InvariantCulture),2}"
            : $"weight {canary.Weight.ToString(CultureInfo.InvariantCulture),3}%";
        Write($"  {Elapsed()}  {step,-7} {Phase(canary.Phase),-16} {progress}   primary {Numbers(metrics.Primary)}  │ canary {Numbers(metrics.Canary)}   failed checks {canary.FailedChecks.ToString(CultureInfo.InvariantCulture)}/{threshold.ToString(CultureInfo.InvariantCulture)}");
    }

    /// <summary>One metric check of the judge: the canary's and the primary's values, their samples and the verdict.</summary>
    public void Check(CanaryCheck check)
    {
        ArgumentNullException.ThrowIfNull(check);
        var mark = check.Verdict switch
        {
            CheckVerdicts.Pass => "✓",
            CheckVerdicts.Fail => "✗",
            _ => "…",
        };
        var duration = check.Metric == BuiltInMetrics.RequestDuration;
        var p = check.PValue is { } value ? $"p={value.ToString(value < 0.001 ? "0.#e0" : "0.###", CultureInfo.InvariantCulture)}" : string.Empty;
        Write($"  {Elapsed()}          {mark} {check.Metric,-21} canary {Value(check.CanaryValue, duration),8} ({Samples(check.CanarySamples)})  primary {Value(check.PrimaryValue, duration),8} ({Samples(check.PrimarySamples)})  {check.Verdict?.ToLowerInvariant()} {p}".TrimEnd());
    }

    /// <summary>A Warning event of the controller (a failed check, a rollback).</summary>
    public void Warning(string message) => Write($"  {Elapsed()}          ! {message}");

    /// <summary>A step ended.</summary>
    public void StepEnded(StepReport step)
    {
        ArgumentNullException.ThrowIfNull(step);
        var mark = step.AsExpected ? "✔" : "✘";
        var expected = step.AsExpected ? string.Empty : $" (expected: {Outcome(step.Expected)})";
        Write($"  {mark} {step.Name} {Outcome(step.Actual)} after {Seconds(step.Duration)}{expected}");
        Write(string.Empty);
    }

    /// <summary>The one-screen summary.</summary>
    public void Summary(DemoReport report, DemoTimings timings)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(timings);
        var strategy = report.BlueGreen
            ? $"blue/green, {timings.Iterations.ToString(CultureInfo.InvariantCulture)} iterations"
            : $"canary, {timings.StepWeight.ToString(CultureInfo.InvariantCulture)}% steps to {timings.MaxWeight.ToString(CultureInfo.InvariantCulture)}%";
        Write($"══ Summary: {report.Provider}, {strategy}, a check every {Seconds(timings.AnalysisInterval)}, rollback after {timings.Threshold.ToString(CultureInfo.InvariantCulture)} failed checks ══");
        Write($"  {"step",-8} {"change",-30} {"expected",-12} {"outcome",-12} {(report.BlueGreen ? "iterations" : "weights"),-18} {"failed",-7} canary worst (success, p99)");
        foreach (var step in report.Steps)
        {
            var path = report.BlueGreen ? Path(step.Iterations) : Path(step.Weights);
            Write($"  {step.Name,-8} {step.Change,-30} {Outcome(step.Expected),-12} {Outcome(step.Actual),-12} {path,-18} {step.MaxFailedChecks.ToString(CultureInfo.InvariantCulture),-7} {Numbers(step.CanaryWorst)}");
        }

        foreach (var step in report.Steps.Where(s => s.Actual == StepOutcome.RolledBack))
        {
            // A threshold breach says why; a "no values found" check (a scrape not in yet) is only a fallback.
            var reason = step.Warnings.LastOrDefault(w => w.StartsWith("Halt", StringComparison.Ordinal) && !w.Contains("no values found", StringComparison.Ordinal))
                ?? step.Warnings.LastOrDefault(w => w.StartsWith("Halt", StringComparison.Ordinal))
                ?? (step.Warnings.Count > 0 ? step.Warnings[^1] : "-");
            Write($"  {step.Name} rolled back: {reason}");
        }

        Write(report.Succeeded
            ? $"  Result: every release ended as expected (v2 promoted, v3 and v4 rolled back) in {Seconds(report.Duration)}."
            : $"  Result: FAILED: {report.Error ?? string.Join("; ", report.Steps.Where(s => !s.AsExpected).Select(s => $"{s.Name} {Outcome(s.Actual)}, expected {Outcome(s.Expected)}"))}");
    }

    /// <summary>A plain line.</summary>
    public void Write(string line)
    {
        output.WriteLine(line);
        output.Flush();
    }

    /// <summary>"100.00%  p99   46ms", dashes where there were no requests.</summary>
    public static string Numbers(WorkloadMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        var rate = metrics.SuccessRate is { } r ? $"{r.ToString("0.00", CultureInfo.InvariantCulture)}%" : "-";
        var p99 = metrics.P99Ms is { } p ? $"{p.ToString("0", CultureInfo.InvariantCulture)}ms" : "-";
        return $"{rate,7} p99 {p99,6}";
    }

    private static string Value(double? value, bool milliseconds) => value is not { } v
        ? "-"
        : milliseconds ? $"{v.ToString("0", CultureInfo.InvariantCulture)}ms" : $"{v.ToString("0.00", CultureInfo.InvariantCulture)}%";

    private static string Samples(long? samples) => samples is { } n ? $"n={n.ToString(CultureInfo.InvariantCulture)}" : "n=-";

    /// <summary>Outcome in words.</summary>
    public static string Outcome(StepOutcome outcome) => outcome switch
    {
        StepOutcome.Initialized => "initialized",
        StepOutcome.Promoted => "promoted",
        StepOutcome.RolledBack => "rolled back",
        _ => "timed out",
    };

    private static string Path(IReadOnlyList<int> values) =>
        values.Count == 0 ? "-" : string.Join("→", values.Select(v => v.ToString(CultureInfo.InvariantCulture)));

    private static string Phase(CanaryPhase phase) => phase == CanaryPhase.None ? "(no status)" : phase.ToString();

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + "s";

    private string Elapsed()
    {
        var elapsed = time.GetUtcNow() - _start;
        return new StringBuilder().Append(((int)elapsed.TotalMinutes).ToString("00", CultureInfo.InvariantCulture))
            .Append(':').Append(elapsed.Seconds.ToString("00", CultureInfo.InvariantCulture)).ToString();
    }
}
