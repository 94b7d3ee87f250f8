using System.Diagnostics.Metrics;
using System.Globalization;
using Canary.LoadTester.Hey;

namespace Canary.LoadTester.Telemetry;

/// <summary>
/// The tester's instruments, served on <c>/metrics</c> in the Prometheus format. Names are final Prometheus names
/// (the exporter adds <c>_seconds</c> to the histogram):
/// <c>canary_loadtester_requests_total{canary,code}</c> (generated requests by status code, <c>code="error"</c> without an
/// answer), <c>canary_loadtester_errors_total{canary,kind}</c> (<c>status</c>: non-2xx, <c>transport</c>, <c>timeout</c>),
/// <c>canary_loadtester_request_duration_seconds{canary}</c>, <c>canary_loadtester_runs_started_total{type,mode}</c>
/// (<c>hey</c>/<c>process</c>, <c>background</c>/<c>blocking</c>), <c>canary_loadtester_runs_finished_total{type,result}</c>,
/// <c>canary_loadtester_runs_skipped_total</c> (the same command already running), <c>canary_loadtester_runs_refused_total{reason}</c>,
/// <c>canary_loadtester_runs_running</c>, <c>canary_loadtester_gate_checks_total{gate,result}</c>.
/// </summary>
public sealed class LoadTesterMetrics
{
    /// <summary>The meter every tester instrument belongs to.</summary>
    public const string MeterName = "Canary.LoadTester";

    private static readonly double[] LatencyBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
    private static readonly string[] Codes = [.. Enumerable.Range(0, 600).Select(c => c.ToString(CultureInfo.InvariantCulture))];
    private Func<int> _running = () => 0;

    /// <summary>Creates the instruments on a meter from <paramref name="meterFactory"/>.</summary>
    public LoadTesterMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        Requests = meter.CreateCounter<long>("canary_loadtester_requests_total", description: "Requests the tester generated, by canary and status code (code=\"error\" when no answer came).");
        Errors = meter.CreateCounter<long>("canary_loadtester_errors_total", description: "Generated requests that failed: non-2xx answers (kind=status), transport errors, timeouts (-t).");
        RequestDuration = meter.CreateHistogram("canary_loadtester_request_duration", "s", "Latency of generated requests, to the end of the answer.", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });
        RunsStarted = meter.CreateCounter<long>("canary_loadtester_runs_started_total", description: "Runs started, by type (hey, process) and mode (background, blocking).");
        RunsFinished = meter.CreateCounter<long>("canary_loadtester_runs_finished_total", description: "Runs finished, by type and result (ok, failed).");
        RunsSkipped = meter.CreateCounter<long>("canary_loadtester_runs_skipped_total", description: "Background runs not started because the same command of the same canary was still running.");
        RunsRefused = meter.CreateCounter<long>("canary_loadtester_runs_refused_total", description: "Task requests refused, by reason (payload, type, command, syntax, flags, namespace).");
        GateChecks = meter.CreateCounter<long>("canary_loadtester_gate_checks_total", description: "Gate checks answered, by gate (gate, rollback) and result (open, closed).");
        meter.CreateObservableGauge("canary_loadtester_runs_running", () => _running(), description: "Runs in progress.");
    }

    internal Counter<long> Requests { get; }

    internal Counter<long> Errors { get; }

    internal Histogram<double> RequestDuration { get; }

    internal Counter<long> RunsStarted { get; }

    internal Counter<long> RunsFinished { get; }

    internal Counter<long> RunsSkipped { get; }

    internal Counter<long> RunsRefused { get; }

    internal Counter<long> GateChecks { get; }

    /// <summary>Publishes the number of runs in progress.</summary>
    public void TrackRunning(Func<int> running) => _running = running;

    /// <summary>An observer recording the requests of one run of <paramref name="canary"/>.</summary>
    public IRequestObserver ForCanary(string canary) => new Observer(this, canary);

    private sealed class Observer(LoadTesterMetrics metrics, string canary) : IRequestObserver
    {
        private readonly KeyValuePair<string, object?> _canary = new("canary", canary);

        public void OnAnswered(int status, TimeSpan latency)
        {
            var code = status is >= 0 and < 600 ? Codes[status] : status.ToString(CultureInfo.InvariantCulture);
            metrics.Requests.Add(1, _canary, new KeyValuePair<string, object?>("code", code));
            metrics.RequestDuration.Record(latency.TotalSeconds, _canary);
            if (status is < 200 or > 299)
            {
                metrics.Errors.Add(1, _canary, new KeyValuePair<string, object?>("kind", "status"));
            }
        }

        public void OnFailed(TimeSpan latency, bool timedOut)
        {
            metrics.Requests.Add(1, _canary, new KeyValuePair<string, object?>("code", "error"));
            metrics.Errors.Add(1, _canary, new KeyValuePair<string, object?>("kind", timedOut ? "timeout" : "transport"));
        }
    }
}
