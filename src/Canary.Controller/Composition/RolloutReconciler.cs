using Canary.Controller.Reconciliation;
using Canary.Controller.Telemetry;
using Canary.Rollout.Engine;

namespace Canary.Controller.Composition;

/// <summary>
/// The controller's <see cref="IReconciler"/>: runs one <see cref="RolloutEngine"/> tick per due key (see
/// <see cref="TickSchedule"/>), requeues after the delay the engine asks for, and records the tick's metrics.
/// </summary>
public sealed class RolloutReconciler(
    RolloutEngine engine, IClusterReader reader, TickSchedule schedule, RolloutTelemetry telemetry, RecentCanaryWrites writes, TimeProvider time)
    : IReconciler
{
    /// <inheritdoc />
    public async Task<ReconcileResult> ReconcileAsync(CanaryKey key, CancellationToken cancellationToken)
    {
        var (ns, name) = (key.Namespace, key.Name);
        var canary = await reader.GetCanaryAsync(ns, name, cancellationToken).ConfigureAwait(false);
        if (schedule.ShouldWait(key, canary, out var wait))
        {
            return ReconcileResult.Requeue(wait);
        }

        var started = time.GetTimestamp();
        var next = await engine.TickAsync(ns, name, cancellationToken).ConfigureAwait(false);
        var latest = await reader.GetCanaryAsync(ns, name, cancellationToken).ConfigureAwait(false);
        schedule.Ticked(key, latest, next);
        if (latest is null)
        {
            writes.Forget(ns, name);
            return ReconcileResult.Done;
        }

        telemetry.Tick(latest, time.GetElapsedTime(started));
        telemetry.Observe(latest);
        ReconcileTracing.Phase(latest.Status?.Phase);
        return next is { } delay ? ReconcileResult.Requeue(delay) : ReconcileResult.Done;
    }
}
