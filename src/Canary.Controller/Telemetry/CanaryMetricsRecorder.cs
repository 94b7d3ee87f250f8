using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Canary.Providers.Naming;

namespace Canary.Controller.Telemetry;

/// <summary>
/// Flagger's controller metrics (pkg/metrics/recorder.go) under the <c>canary_</c> prefix: same labels and value
/// meanings, so a Flagger dashboard ports by replacing <c>flagger_</c> with <c>canary_</c>. The rollout engine
/// calls the Set/Record methods; gauges are observed from this state when Prometheus scrapes.
/// </summary>
public sealed class CanaryMetricsRecorder
{
    private readonly ConcurrentDictionary<(string Name, string Namespace), int> _status = new();
    private readonly ConcurrentDictionary<(string Workload, string Namespace), double> _weight = new();
    private readonly ConcurrentDictionary<(string Name, string Namespace, string Metric), double> _analysis = new();
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _successes;
    private readonly Counter<long> _failures;
    private Func<IEnumerable<KeyValuePair<string, int>>> _canariesPerNamespace = () => [];

    /// <summary>Creates the instruments; <paramref name="version"/> and <paramref name="meshProvider"/> label canary_info.</summary>
    public CanaryMetricsRecorder(IMeterFactory meterFactory, string version, string meshProvider)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(ControllerMetrics.MeterName);
        meter.CreateObservableGauge("canary_info", () => new Measurement<int>(1, new("version", version), new("mesh_provider", meshProvider)), description: "Controller version and default mesh provider.");
        meter.CreateObservableGauge("canary_canary_total", () => _canariesPerNamespace().Select(n => new Measurement<int>(n.Value, new KeyValuePair<string, object?>("namespace", n.Key))), description: "Canaries per namespace.");
        meter.CreateObservableGauge("canary_canary_status", () => _status.Select(s => new Measurement<int>(s.Value, new("name", s.Key.Name), new("namespace", s.Key.Namespace))), description: "Last canary status: 0 Progressing, 2 Failed, 1 otherwise.");
        meter.CreateObservableGauge("canary_canary_weight", () => _weight.Select(w => new Measurement<double>(w.Value, new("workload", w.Key.Workload), new("namespace", w.Key.Namespace))), description: "Traffic weight of the primary (<target>-primary) and canary (<target>) workloads.");
        meter.CreateObservableGauge("canary_canary_metric_analysis", () => _analysis.Select(a => new Measurement<double>(a.Value, new("name", a.Key.Name), new("namespace", a.Key.Namespace), new("metric", a.Key.Metric))), description: "Last value of each analysed metric.");
        _duration = meter.CreateHistogram("canary_canary_duration", "s", "Duration of one canary analysis tick.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });
        _successes = meter.CreateCounter<long>("canary_canary_successes_total", description: "Successful canary releases.");
        _failures = meter.CreateCounter<long>("canary_canary_failures_total", description: "Failed canary releases.");
    }

    /// <summary>Sets the source of canary_canary_total (normally the Canary cache's namespace index).</summary>
    public void TrackCanaries(Func<IEnumerable<KeyValuePair<string, int>>> perNamespace) =>
        _canariesPerNamespace = perNamespace ?? throw new ArgumentNullException(nameof(perNamespace));

    /// <summary>Records the phase: <paramref name="progressing"/> → 0, <paramref name="failed"/> → 2, else 1 (Flagger's encoding).</summary>
    public void SetStatus(string name, string ns, bool progressing, bool failed) =>
        _status[(name, ns)] = failed ? 2 : progressing ? 0 : 1;

    /// <summary>Records the weights of <c>{target}-primary</c> and <c>{target}</c>.</summary>
    public void SetWeight(string target, string ns, double primaryWeight, double canaryWeight)
    {
        _weight[(target + CanaryNames.PrimarySuffix, ns)] = primaryWeight;
        _weight[(target, ns)] = canaryWeight;
    }

    /// <summary>Records the last value of an analysed metric.</summary>
    public void SetAnalysis(string name, string ns, string metric, double value) => _analysis[(name, ns, metric)] = value;

    /// <summary>Records the duration of one analysis tick.</summary>
    public void RecordDuration(string name, string ns, TimeSpan duration) =>
        _duration.Record(duration.TotalSeconds, new("name", name), new("namespace", ns));

    /// <summary>Counts a finished release (<paramref name="strategy"/>: canary, blue-green, ab-testing;
    /// <paramref name="analysisStatus"/>: completed, skipped).</summary>
    public void RecordResult(string name, string ns, string strategy, string analysisStatus, bool succeeded) =>
        (succeeded ? _successes : _failures).Add(1, new("name", name), new("namespace", ns),
            new("deployment_strategy", strategy), new("analysis_status", analysisStatus));

    /// <summary>Drops every series of a deleted Canary.</summary>
    public void Forget(string name, string ns, string target)
    {
        _status.TryRemove((name, ns), out _);
        _weight.TryRemove((target + CanaryNames.PrimarySuffix, ns), out _);
        _weight.TryRemove((target, ns), out _);
        foreach (var key in _analysis.Keys.Where(k => k.Name == name && k.Namespace == ns))
        {
            _analysis.TryRemove(key, out _);
        }
    }
}
