using Canary.Providers.Naming;
using Canary.Rollout.Engine;
using k8s;
using k8s.Models;

namespace Canary.Rollout.Targets;

/// <summary>
/// The Services of a core Service target (Flagger's KubernetesNoopRouter plus the ServiceController's canary copy):
/// <c>&lt;target&gt;-canary</c> follows the target Service on every tick; no apex is taken over and nothing is reverted.
/// </summary>
internal sealed class ServiceCopyRouter(IKubernetes client, CopiedMetadata copied) : IServiceRouter
{
    private readonly ServiceCopies _copies = new(client, copied);

    /// <inheritdoc />
    public Task InitializeAsync(CanaryResource canary, TargetSnapshot snapshot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(canary);
        ArgumentNullException.ThrowIfNull(snapshot);
        return snapshot.Target is V1Service target
            ? _copies.SyncAsync(canary, target, target.Metadata.Name + CanaryNames.CanarySuffix, update: true, cancellationToken)
            : Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task ReconcileAsync(CanaryResource canary, TargetSnapshot snapshot, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task FinalizeAsync(CanaryResource canary, TargetSelector selector, CancellationToken cancellationToken) => Task.CompletedTask;
}
