using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Canary.Controller.Telemetry;

/// <summary>
/// The controller's runtime instruments (work queue, reconciles, API requests, informers, leadership).
/// Names are final Prometheus names; units add the <c>_seconds</c> suffix in the exporter. See METRICS.md.
/// </summary>
public sealed class ControllerMetrics
{
    /// <summary>The meter every controller instrument belongs to.</summary>
    public const string MeterName = "Canary.Controller";

    private static readonly double[] LatencyBuckets = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
    private readonly ConcurrentDictionary<string, Func<int>> _queueDepth = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (Func<bool> Synced, Func<int> Objects)> _informers = new(StringComparer.Ordinal);
    private Func<bool> _isLeader = () => false;

    /// <summary>Creates the instruments on a meter from <paramref name="meterFactory"/>.</summary>
    public ControllerMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        ApiRequests = meter.CreateCounter<long>("canary_kube_api_requests_total", description: "Kubernetes API requests by verb, resource and status code.");
        ApiRequestDuration = meter.CreateHistogram("canary_kube_api_request_duration", "s", "Time to response headers of Kubernetes API requests.", advice: Buckets());
        Reconciles = meter.CreateCounter<long>("canary_reconcile_total", description: "Reconciles by result (success, requeue, error).");
        ReconcileErrors = meter.CreateCounter<long>("canary_reconcile_errors_total", description: "Reconciles that threw.");
        ReconcileDuration = meter.CreateHistogram("canary_reconcile_duration", "s", "Duration of one reconcile.", advice: Buckets());
        QueueAdds = meter.CreateCounter<long>("canary_workqueue_adds_total", description: "Keys made ready in the work queue.");
        QueueRetries = meter.CreateCounter<long>("canary_workqueue_retries_total", description: "Keys scheduled again after a failure.");
        QueueLatency = meter.CreateHistogram("canary_workqueue_queue_duration", "s", "Time a key waits in the queue before a worker takes it.", advice: Buckets());
        WorkDuration = meter.CreateHistogram("canary_workqueue_work_duration", "s", "Time a worker holds a key.", advice: Buckets());
        meter.CreateObservableGauge("canary_workqueue_depth", () => _queueDepth.Select(q => new Measurement<int>(q.Value(), new KeyValuePair<string, object?>("name", q.Key))), description: "Keys ready in the work queue.");
        InformerEvents = meter.CreateCounter<long>("canary_informer_events_total", description: "Watch events applied to a cache, by kind and type.");
        InformerRelists = meter.CreateCounter<long>("canary_informer_relists_total", description: "Full lists of a kind (start-up, 410 Gone).");
        WatchRestarts = meter.CreateCounter<long>("canary_informer_watch_restarts_total", description: "Watches re-opened, by kind and reason.");
        meter.CreateObservableGauge("canary_informer_synced", () => _informers.Select(i => new Measurement<int>(i.Value.Synced() ? 1 : 0, new KeyValuePair<string, object?>("kind", i.Key))), description: "1 once the cache of a kind has synced.");
        meter.CreateObservableGauge("canary_informer_objects", () => _informers.Select(i => new Measurement<int>(i.Value.Objects(), new KeyValuePair<string, object?>("kind", i.Key))), description: "Objects in the cache of a kind.");
        meter.CreateObservableGauge("canary_leader_election_is_leader", () => _isLeader() ? 1 : 0, description: "1 while this replica holds the lease (or leader election is off).");
    }

    internal Counter<long> ApiRequests { get; }

    internal Histogram<double> ApiRequestDuration { get; }

    internal Counter<long> Reconciles { get; }

    internal Counter<long> ReconcileErrors { get; }

    internal Histogram<double> ReconcileDuration { get; }

    internal Counter<long> QueueAdds { get; }

    internal Counter<long> QueueRetries { get; }

    internal Histogram<double> QueueLatency { get; }

    internal Histogram<double> WorkDuration { get; }

    internal Counter<long> InformerEvents { get; }

    internal Counter<long> InformerRelists { get; }

    internal Counter<long> WatchRestarts { get; }

    /// <summary>Publishes the depth of a named queue.</summary>
    public void TrackQueue(string name, Func<int> depth) => _queueDepth[name] = depth;

    /// <summary>Publishes sync state and size of an informer.</summary>
    public void TrackInformer(string kind, Func<bool> synced, Func<int> objects) => _informers[kind] = (synced, objects);

    /// <summary>Publishes leadership.</summary>
    public void TrackLeadership(Func<bool> isLeader) => _isLeader = isLeader;

    private static InstrumentAdvice<double> Buckets() => new() { HistogramBucketBoundaries = LatencyBuckets };
}
