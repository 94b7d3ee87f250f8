namespace Canary.Controller.Reconciliation;

/// <summary>
/// The seam the rollout engine plugs into: called by a worker for one Canary at a time (never concurrently for the
/// same key). Read from the informer caches, write through the API, and return when to look again. Throwing makes
/// the queue retry the key with exponential backoff.
/// </summary>
public interface IReconciler
{
    /// <summary>Brings the Canary <paramref name="key"/> one step closer to its desired state.</summary>
    Task<ReconcileResult> ReconcileAsync(CanaryKey key, CancellationToken cancellationToken);
}
