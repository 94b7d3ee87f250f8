using Canary.Providers.Naming;
using Canary.Rollout.Targets;

namespace Canary.Rollout.Engine;

/// <summary>
/// The generated-Services router for targets that make their own Services (a core Service target; Flagger's
/// KubernetesNoopRouter): no apex is taken over, nothing is created or reverted.
/// </summary>
public sealed class NoopServiceRouter : IServiceRouter
{
    /// <summary>The single instance.</summary>
    public static NoopServiceRouter Instance { get; } = new();

    /// <inheritdoc />
    public Task InitializeAsync(CanaryResource canary, TargetSnapshot snapshot, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task ReconcileAsync(CanaryResource canary, TargetSnapshot snapshot, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task FinalizeAsync(CanaryResource canary, TargetSelector selector, CancellationToken cancellationToken) => Task.CompletedTask;
}
