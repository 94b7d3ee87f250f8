using Canary.Api.Defaults;
using Canary.Api.V1Beta1;
using Canary.Kubernetes.Errors;
using Canary.Kubernetes.Retry;
using Canary.Providers.Naming;
using Canary.Providers.Routing;
using Canary.Rollout.Engine;
using Canary.Rollout.Revisions;
using Canary.Rollout.StateMachine;
using Microsoft.Extensions.Options;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Canary.Rollout.Targets;

/// <summary>
/// <see cref="ITarget"/> for apps/v1 DaemonSets (Flagger's DaemonSetController): a <c>-primary</c> clone, and the
/// target "scaled to zero" between rollouts by the <see cref="DaemonSetScaleToZero.Key"/> nodeSelector key — the only
/// change ever made to the user's DaemonSet. Reads through <see cref="IClusterReader"/>, writes through
/// <see cref="IKubernetes"/>; every write is idempotent.
/// </summary>
public sealed class DaemonSetTarget(IClusterReader reader, IKubernetes client, IOptions<TargetOptions> targetOptions, TimeProvider timeProvider) : ITarget
{
    private readonly TargetOptions _options = targetOptions?.Value ?? throw new ArgumentNullException(nameof(targetOptions));

    private readonly ConfigTracker _tracker = new(reader);
    private readonly CopiedMetadata _copied = targetOptions.Value.CopiedMetadata;
    private readonly PrimaryConfigCopier _copier = new(client, targetOptions.Value.CopiedMetadata);

    /// <inheritdoc />
    public string Kind => TargetKinds.DaemonSet;

    /// <inheritdoc />
    public async Task<TargetSnapshot> ObserveAsync(CanaryResource canary, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(canary);
        var (ns, name) = TargetNames.Of(canary);
        var (target, selector, configs, revision) = await ReadTargetAsync(ns, name, cancellationToken).ConfigureAwait(false);
        var primary = await reader.GetDaemonSetAsync(ns, name + CanaryNames.PrimarySuffix, cancellationToken).ConfigureAwait(false);

        var effective = CanaryDefaults.Resolve(canary.Spec);
        var now = timeProvider.GetUtcNow();
        var since = canary.Status?.LastTransitionTime is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : (DateTimeOffset?)null;
        var canaryReadiness = DaemonSetReadiness.Evaluate(
            target, now, since, effective.ProgressDeadline, effective.Analysis.CanaryReadyThreshold, $"canary daemonset {name}.{ns} not ready: ");
        var primaryPrefix = $"{name}-primary.{ns} not ready: ";
        var primaryReadiness = primary is null
            ? Readiness.Waiting(primaryPrefix + "primary daemonset not found")
            : DaemonSetReadiness.Evaluate(primary, now, since, effective.ProgressDeadline, effective.Analysis.PrimaryReadyThreshold, primaryPrefix);
        return new TargetSnapshot(target, primary, selector, target.Spec.Template.Spec, configs, revision, canaryReadiness, primaryReadiness);
    }

    /// <inheritdoc />
    public async Task InitializeAsync(CanaryResource canary, TargetSnapshot snapshot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(canary);
        ArgumentNullException.ThrowIfNull(snapshot);
        if (snapshot.Primary is not null || snapshot is not { Target: V1DaemonSet target, Selector: { } selector })
        {
            return;
        }

        await _copier.SyncAsync(canary, snapshot.Configs, cancellationToken).ConfigureAwait(false);
        var primary = PrimaryDaemonSetBuilder.Create(canary, target, selector, snapshot.Configs, snapshot.Revision, _options.SelectorLabels, _copied);
        try
        {
            await client.AppsV1.CreateNamespacedDaemonSetAsync(primary, canary.Metadata.NamespaceProperty, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (KubeErrors.IsAlreadyExists(e))
        {
            // Created by an earlier tick whose cache had not caught up: never recreated from scratch (Flagger's rule).
        }
    }

    /// <inheritdoc />
    public async Task PromoteAsync(CanaryResource canary, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(canary);
        var (ns, name) = TargetNames.Of(canary);
        var (target, selector, configs, revision) = await ReadTargetAsync(ns, name, cancellationToken).ConfigureAwait(false);
        await _copier.SyncAsync(canary, configs, cancellationToken).ConfigureAwait(false);

        await ConflictRetry.RunAsync(async _ =>
        {
            // A fresh read: the write must carry the latest resourceVersion.
            var primary = await client.AppsV1.ReadNamespacedDaemonSetAsync(name + CanaryNames.PrimarySuffix, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
            var updated = PrimaryDaemonSetBuilder.ApplyTemplate(primary, target, selector, configs, revision, _options.SelectorLabels, _copied);
            if (KubernetesJson.Serialize(updated) != KubernetesJson.Serialize(primary))
            {
                await client.AppsV1.ReplaceNamespacedDaemonSetAsync(updated, updated.Metadata.Name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task ReconcilePrimaryScalerAsync(CanaryResource canary, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task ScaleToZeroAsync(CanaryResource canary, CancellationToken cancellationToken) => ParkAsync(canary, park: true, cancellationToken);

    /// <inheritdoc />
    public Task ScaleFromZeroAsync(CanaryResource canary, CancellationToken cancellationToken) => ParkAsync(canary, park: false, cancellationToken);

    /// <inheritdoc />
    public async Task<Readiness> RevertAsync(CanaryResource canary, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(canary);
        var (ns, name) = TargetNames.Of(canary);
        var target = await reader.GetDaemonSetAsync(ns, name, cancellationToken).ConfigureAwait(false)
            ?? throw new TargetException($"daemonset {name}.{ns} not found");
        if (DaemonSetScaleToZero.IsParked(target))
        {
            target = await client.AppsV1.PatchNamespacedDaemonSetAsync(DaemonSetScaleToZero.Patch(park: false), name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        var effective = CanaryDefaults.Resolve(canary.Spec);
        return DaemonSetReadiness.Evaluate(target, timeProvider.GetUtcNow(), since: null, effective.ProgressDeadline, 100, $"daemonset {name}.{ns} not ready: ");
    }

    private async Task ParkAsync(CanaryResource canary, bool park, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(canary);
        var (ns, name) = TargetNames.Of(canary);
        var target = await reader.GetDaemonSetAsync(ns, name, cancellationToken).ConfigureAwait(false);
        if (target is not null && DaemonSetScaleToZero.IsParked(target) != park)
        {
            await client.AppsV1.PatchNamespacedDaemonSetAsync(DaemonSetScaleToZero.Patch(park), name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<(V1DaemonSet Target, TargetSelector Selector, TrackedConfigs Configs, Revision Revision)> ReadTargetAsync(
        string ns, string name, CancellationToken cancellationToken)
    {
        var target = await reader.GetDaemonSetAsync(ns, name, cancellationToken).ConfigureAwait(false)
            ?? throw new TargetException($"daemonset {name}.{ns} not found");
        TargetSelector selector;
        try
        {
            selector = SelectorLabels.Resolve(target.Spec.Selector?.MatchLabels, _options.SelectorLabels, Kind, name, ns);
        }
        catch (TrafficRouterException e)
        {
            throw new TargetException(e.Message, e);
        }

        var configs = TrackedConfigs.Empty;
        if (_options.EnableConfigTracking)
        {
            try
            {
                configs = await _tracker.TrackAsync(ns, target.Spec.Template.Spec, cancellationToken).ConfigureAwait(false);
            }
            catch (ConfigTrackingException e)
            {
                throw new TargetException(e.Message, e);
            }
        }

        // The scale-to-zero key is not part of the revision: parking the target must not look like a new release.
        var revision = new Revision(PodTemplateHasher.Compute(DaemonSetScaleToZero.Without(target.Spec.Template)), configs.Checksums);
        return (target, selector, configs, revision);
    }
}
