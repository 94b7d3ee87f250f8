using System.Collections.Concurrent;
using System.Diagnostics;
using Canary.Controller.Informers;
using Canary.Controller.Reconciliation;

namespace Canary.Controller.Benchmarks;

/// <summary>Reads the Canary and its target from the cache (like the placeholder reconciler) and, when the target
/// carries an image the benchmark changed, records the time from that change to this reconcile.</summary>
internal sealed class LatencyReconciler(ControllerCaches caches) : IReconciler
{
    private int _reconciled;

    public ConcurrentDictionary<string, long> ChangedAt { get; } = new(StringComparer.Ordinal);

    public ConcurrentBag<double> LatenciesMs { get; } = [];

    public int Reconciled => _reconciled;

    public Task<ReconcileResult> ReconcileAsync(CanaryKey key, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _reconciled);
        var canary = caches.Canaries.Store.Get(key.Namespace, key.Name);
        var target = canary?.Spec.TargetRef?.Name is { } name ? caches.Deployments.Store.Get(key.Namespace, name) : null;
        var image = target?.Spec.Template.Spec.Containers[0].Image;
        if (image is not null && ChangedAt.TryRemove(image, out var started))
        {
            LatenciesMs.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        return Task.FromResult(ReconcileResult.Done);
    }
}
