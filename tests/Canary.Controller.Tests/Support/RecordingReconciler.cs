using System.Collections.Concurrent;
using Canary.Controller.Informers;
using Canary.Controller.Reconciliation;

namespace Canary.Controller.Tests.Support;

/// <summary>A reconciler that records what it saw, detects concurrent runs of one key, and can be slow or fail.</summary>
internal sealed class RecordingReconciler(ControllerCaches caches) : IReconciler
{
    private readonly ConcurrentDictionary<CanaryKey, int> _inFlight = new();
    private int _violations;
    private int _total;

    public ConcurrentDictionary<CanaryKey, int> Counts { get; } = new();

    /// <summary>Per key, the target images seen in the cache at reconcile time.</summary>
    public ConcurrentDictionary<CanaryKey, ConcurrentBag<string>> TargetImages { get; } = new();

    public TimeSpan Work { get; set; }

    public double FailureRate { get; set; }

    public int Violations => _violations;

    public int Total => _total;

    public async Task<ReconcileResult> ReconcileAsync(CanaryKey key, CancellationToken cancellationToken)
    {
        if (_inFlight.AddOrUpdate(key, 1, (_, n) => n + 1) > 1)
        {
            Interlocked.Increment(ref _violations);
        }

        try
        {
            Interlocked.Increment(ref _total);
            Counts.AddOrUpdate(key, 1, (_, n) => n + 1);
            var canary = caches.Canaries.Store.Get(key.Namespace, key.Name);
            var target = canary?.Spec.TargetRef?.Name is { } t ? caches.Deployments.Store.Get(key.Namespace, t) : null;
            if (target?.Spec.Template.Spec.Containers[0].Image is { } image)
            {
                TargetImages.GetOrAdd(key, _ => []).Add(image);
            }

            if (Work > TimeSpan.Zero)
            {
                await Task.Delay(Work, cancellationToken);
            }

            if (FailureRate > 0 && Random.Shared.NextDouble() < FailureRate)
            {
                throw new InvalidOperationException("injected reconcile failure");
            }

            return ReconcileResult.Done;
        }
        finally
        {
            _inFlight.AddOrUpdate(key, 0, (_, n) => n - 1);
        }
    }
}
