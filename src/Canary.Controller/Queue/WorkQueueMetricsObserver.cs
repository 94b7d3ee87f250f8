using Canary.Controller.Telemetry;

namespace Canary.Controller.Queue;

/// <summary>Feeds work-queue timings into <see cref="ControllerMetrics"/>.</summary>
public sealed class WorkQueueMetricsObserver(ControllerMetrics metrics) : IWorkQueueObserver
{
    /// <inheritdoc />
    public void Added() => metrics.QueueAdds.Add(1);

    /// <inheritdoc />
    public void Dequeued(TimeSpan queued) => metrics.QueueLatency.Record(queued.TotalSeconds);

    /// <inheritdoc />
    public void Completed(TimeSpan work) => metrics.WorkDuration.Record(work.TotalSeconds);

    /// <inheritdoc />
    public void Retried() => metrics.QueueRetries.Add(1);
}
