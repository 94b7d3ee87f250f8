namespace Canary.Controller.Reconciliation;

/// <summary>What a reconcile asks of the queue: nothing, or to run again after a delay (the next analysis tick).</summary>
/// <param name="RequeueAfter">When to run the key again; null waits for the next change event.</param>
public readonly record struct ReconcileResult(TimeSpan? RequeueAfter)
{
    /// <summary>Done until something changes.</summary>
    public static ReconcileResult Done => default;

    /// <summary>Run again after <paramref name="delay"/>.</summary>
    public static ReconcileResult Requeue(TimeSpan delay) => new(delay);
}
