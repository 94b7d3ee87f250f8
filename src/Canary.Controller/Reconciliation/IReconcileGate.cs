namespace Canary.Controller.Reconciliation;

/// <summary>Decides whether this replica reconciles a key now (sharding), and learns when it is done.</summary>
public interface IReconcileGate
{
    /// <summary>True when this replica may reconcile <paramref name="key"/> now; then <see cref="Leave"/> must follow.</summary>
    bool TryEnter(CanaryKey key);

    /// <summary>The reconcile of <paramref name="key"/> entered through <see cref="TryEnter"/> has finished.</summary>
    void Leave(CanaryKey key);
}

/// <summary>No sharding: this replica reconciles every key (alone, or as the elected leader).</summary>
public sealed class OpenReconcileGate : IReconcileGate
{
    /// <inheritdoc />
    public bool TryEnter(CanaryKey key) => true;

    /// <inheritdoc />
    public void Leave(CanaryKey key)
    {
    }
}
