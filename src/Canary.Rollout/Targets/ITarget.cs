using Canary.Rollout.StateMachine;

namespace Canary.Rollout.Targets;

/// <summary>
/// A target kind the engine can roll out (Deployment, DaemonSet, core Service; chosen by <see cref="ITargetResolver"/>):
/// observes target and primary, creates the primary clone, promotes, scales. Never edits the user's object except to
/// scale it (a Deployment's replica count, a DaemonSet's scale-to-zero nodeSelector key; a Service is never written).
/// </summary>
public interface ITarget
{
    /// <summary>Kind served, e.g. Deployment.</summary>
    string Kind { get; }

    /// <summary>Reads the target, its primary and configs and evaluates revision and readiness.</summary>
    /// <exception cref="TargetException">The target is missing or unusable (reported as a Warning event; retried).</exception>
    Task<TargetSnapshot> ObserveAsync(CanaryResource canary, CancellationToken cancellationToken);

    /// <summary>Creates what is missing: primary ConfigMaps/Secrets, the primary workload, the primary autoscaler. Idempotent.</summary>
    Task InitializeAsync(CanaryResource canary, TargetSnapshot snapshot, CancellationToken cancellationToken);

    /// <summary>Copies the target's pod template (config refs rewritten to the -primary copies) onto the primary. Idempotent.</summary>
    Task PromoteAsync(CanaryResource canary, CancellationToken cancellationToken);

    /// <summary>Pushes the target autoscaler's settings to the primary's.</summary>
    Task ReconcilePrimaryScalerAsync(CanaryResource canary, CancellationToken cancellationToken);

    /// <summary>Scales the target to zero replicas.</summary>
    Task ScaleToZeroAsync(CanaryResource canary, CancellationToken cancellationToken);

    /// <summary>Scales the target up from zero (its replicas, the HPA minimum or the primary's count).</summary>
    Task ScaleFromZeroAsync(CanaryResource canary, CancellationToken cancellationToken);

    /// <summary>Deletion with revertOnDeletion: scales the target back to the primary's replica count; returns its readiness.</summary>
    Task<Readiness> RevertAsync(CanaryResource canary, CancellationToken cancellationToken);
}
