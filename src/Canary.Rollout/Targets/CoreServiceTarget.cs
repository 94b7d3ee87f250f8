using Canary.Api.V1Beta1;
using Canary.Providers.Naming;
using Canary.Rollout.Engine;
using Canary.Rollout.Revisions;
using Canary.Rollout.StateMachine;
using k8s;
using k8s.Models;

namespace Canary.Rollout.Targets;

/// <summary>
/// <see cref="ITarget"/> for a core v1 Service (Flagger's ServiceController, "service target" mode): the target Service
/// is the canary; <c>&lt;target&gt;-primary</c> is its copy made at initialization and at each promotion, and
/// <c>&lt;target&gt;-canary</c> a copy refreshed every tick (<see cref="Services"/>), between which the provider routes.
/// The revision is the Service spec; no pods are scaled, so readiness is always true and scaling does nothing.
/// </summary>
public sealed class CoreServiceTarget(IClusterReader reader, IKubernetes client, CopiedMetadata? copied = null) : ITarget, IOwnsServices
{
    private readonly ServiceCopies _copies = new(client, copied ?? CopiedMetadata.All);

    /// <inheritdoc />
    public string Kind => TargetKinds.Service;

    /// <inheritdoc />
    public IServiceRouter Services { get; } = new ServiceCopyRouter(client, copied ?? CopiedMetadata.All);

    /// <inheritdoc />
    public async Task<TargetSnapshot> ObserveAsync(CanaryResource canary, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(canary);
        var (ns, name) = TargetNames.Of(canary);
        var target = await ReadTargetAsync(ns, name, cancellationToken).ConfigureAwait(false);
        var primary = await reader.GetServiceAsync(ns, name + CanaryNames.PrimarySuffix, cancellationToken).ConfigureAwait(false);
        var primaryReadiness = primary is null ? Readiness.Waiting($"{name}-primary.{ns} not ready: primary service not found") : Readiness.Ready;
        return new TargetSnapshot(target, primary, null, null, TrackedConfigs.Empty, ServiceCopyBuilder.Revision(target), Readiness.Ready, primaryReadiness);
    }

    /// <inheritdoc />
    public Task InitializeAsync(CanaryResource canary, TargetSnapshot snapshot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(canary);
        ArgumentNullException.ThrowIfNull(snapshot);
        return snapshot is { Primary: null, Target: V1Service target }
            ? _copies.SyncAsync(canary, target, target.Metadata.Name + CanaryNames.PrimarySuffix, update: false, cancellationToken)
            : Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task PromoteAsync(CanaryResource canary, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(canary);
        var (ns, name) = TargetNames.Of(canary);
        var target = await ReadTargetAsync(ns, name, cancellationToken).ConfigureAwait(false);
        await _copies.SyncAsync(canary, target, name + CanaryNames.PrimarySuffix, update: true, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task ReconcilePrimaryScalerAsync(CanaryResource canary, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task ScaleToZeroAsync(CanaryResource canary, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task ScaleFromZeroAsync(CanaryResource canary, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task<Readiness> RevertAsync(CanaryResource canary, CancellationToken cancellationToken) => Task.FromResult(Readiness.Ready);

    private async Task<V1Service> ReadTargetAsync(string ns, string name, CancellationToken cancellationToken) =>
        await reader.GetServiceAsync(ns, name, cancellationToken).ConfigureAwait(false)
            ?? throw new TargetException($"service {name}.{ns} not found");
}
