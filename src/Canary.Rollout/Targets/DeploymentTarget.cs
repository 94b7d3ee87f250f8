using Canary.Api.Defaults;
using Canary.Api.V1Beta1;
using Canary.Kubernetes.Errors;
using Canary.Kubernetes.Retry;
using Canary.Providers.Naming;
using Canary.Providers.Routing;
using Canary.Rollout.Engine;
using Canary.Rollout.Revisions;
using Canary.Rollout.StateMachine;
using Canary.Rollout.Targets.Autoscalers;
using Microsoft.Extensions.Options;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Canary.Rollout.Targets;

/// <summary>
/// <see cref="ITarget"/> for apps/v1 Deployments. Reads through <see cref="IClusterReader"/> (the controller's caches),
/// writes through <see cref="IKubernetes"/>; every write is idempotent so a repeated tick changes nothing twice.
/// </summary>
public sealed class DeploymentTarget(IClusterReader reader, IKubernetes client, IOptions<TargetOptions> targetOptions, TimeProvider timeProvider) : ITarget
{
    private readonly TargetOptions _options = targetOptions?.Value ?? throw new ArgumentNullException(nameof(targetOptions));

    private readonly ConfigTracker _tracker = new(reader);
    private readonly CopiedMetadata _copied = targetOptions.Value.CopiedMetadata;
    private readonly PrimaryConfigCopier _copier = new(client, targetOptions.Value.CopiedMetadata);
    private readonly TargetScalers _scalers = new(reader, client, targetOptions.Value.CopiedMetadata);

    /// <inheritdoc />
    public string Kind => TargetKinds.Deployment;

    /// <inheritdoc />
    public async Task<TargetSnapshot> ObserveAsync(CanaryResource canary, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(canary);
        var (ns, name) = TargetNames.Of(canary);
        var target = await reader.GetDeploymentAsync(ns, name, cancellationToken).ConfigureAwait(false)
            ?? throw new TargetException($"deployment {name}.{ns} not found");
        var selector = ResolveSelector(target, name, ns);
        var configs = await TrackAsync(ns, target, cancellationToken).ConfigureAwait(false);
        var revision = new Revision(PodTemplateHasher.Compute(target.Spec.Template), configs.Checksums);
        var primary = await reader.GetDeploymentAsync(ns, name + CanaryNames.PrimarySuffix, cancellationToken).ConfigureAwait(false);

        var effective = CanaryDefaults.Resolve(canary.Spec);
        var now = timeProvider.GetUtcNow();
        var canaryReadiness = DeploymentReadiness.Evaluate(
            target, now, effective.ProgressDeadline, effective.Analysis.CanaryReadyThreshold, $"canary deployment {name}.{ns} not ready: ");
        var primaryPrefix = $"{name}-primary.{ns} not ready: ";
        var primaryReadiness = primary switch
        {
            null => Readiness.Waiting(primaryPrefix + "primary deployment not found"),
            { Spec.Replicas: 0 } => Readiness.Waiting(primaryPrefix + "primary deployment is scaled to zero"),
            _ => DeploymentReadiness.Evaluate(primary, now, effective.ProgressDeadline, effective.Analysis.PrimaryReadyThreshold, primaryPrefix),
        };
        return new TargetSnapshot(target, primary, selector, target.Spec.Template.Spec, configs, revision, canaryReadiness, primaryReadiness);
    }

    /// <inheritdoc />
    public async Task InitializeAsync(CanaryResource canary, TargetSnapshot snapshot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(canary);
        ArgumentNullException.ThrowIfNull(snapshot);
        var (ns, _) = TargetNames.Of(canary);
        if (snapshot.Primary is null && snapshot is { Target: V1Deployment target, Selector: { } selector })
        {
            await _copier.SyncAsync(canary, snapshot.Configs, cancellationToken).ConfigureAwait(false);
            var primary = PrimaryDeploymentBuilder.Create(canary, target, selector, snapshot.Configs, snapshot.Revision, _options.SelectorLabels, _copied);
            try
            {
                await client.AppsV1.CreateNamespacedDeploymentAsync(primary, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (KubeErrors.IsAlreadyExists(e))
            {
                // Created by an earlier tick whose cache had not caught up: never recreated from scratch (Flagger's rule).
            }
        }

        await EnsurePrimaryScalerAsync(canary, update: false, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task PromoteAsync(CanaryResource canary, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(canary);
        var (ns, name) = TargetNames.Of(canary);
        var target = await reader.GetDeploymentAsync(ns, name, cancellationToken).ConfigureAwait(false)
            ?? throw new TargetException($"deployment {name}.{ns} not found");
        var selector = ResolveSelector(target, name, ns);
        var configs = await TrackAsync(ns, target, cancellationToken).ConfigureAwait(false);
        var revision = new Revision(PodTemplateHasher.Compute(target.Spec.Template), configs.Checksums);
        await _copier.SyncAsync(canary, configs, cancellationToken).ConfigureAwait(false);

        await ConflictRetry.RunAsync(async _ =>
        {
            // A fresh read: the write must carry the latest resourceVersion.
            var primary = await client.AppsV1.ReadNamespacedDeploymentAsync(name + CanaryNames.PrimarySuffix, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
            var updated = PrimaryDeploymentBuilder.ApplyTemplate(
                primary, target, selector, configs, revision, _options.SelectorLabels, copyReplicas: canary.Spec.AutoscalerRef is null, _copied);
            if (KubernetesJson.Serialize(updated) != KubernetesJson.Serialize(primary))
            {
                await client.AppsV1.ReplaceNamespacedDeploymentAsync(updated, updated.Metadata.Name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task ReconcilePrimaryScalerAsync(CanaryResource canary, CancellationToken cancellationToken) =>
        EnsurePrimaryScalerAsync(canary, update: true, cancellationToken);

    /// <inheritdoc />
    public async Task ScaleToZeroAsync(CanaryResource canary, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(canary);
        var (ns, name) = TargetNames.Of(canary);
        var target = await reader.GetDeploymentAsync(ns, name, cancellationToken).ConfigureAwait(false);
        if (target is null)
        {
            return;
        }

        // Paused first, so the target's autoscaler does not scale the target back up behind us.
        if (_scalers.For(canary) is { } scaler)
        {
            await scaler.PauseTargetAsync(canary, cancellationToken).ConfigureAwait(false);
        }

        if (target.Spec.Replicas != 0)
        {
            await ScaleAsync(ns, name, 0, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task ScaleFromZeroAsync(CanaryResource canary, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(canary);
        var (ns, name) = TargetNames.Of(canary);
        var target = await reader.GetDeploymentAsync(ns, name, cancellationToken).ConfigureAwait(false);
        if (target is null)
        {
            return;
        }

        if (_scalers.For(canary) is { } scaler)
        {
            await scaler.ResumeTargetAsync(canary, cancellationToken).ConfigureAwait(false);
        }

        if (target.Spec.Replicas is > 0)
        {
            return;
        }

        var replicas = await ScaleUpReplicasAsync(canary, ns, name, cancellationToken).ConfigureAwait(false);
        await ScaleAsync(ns, name, replicas, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<Readiness> RevertAsync(CanaryResource canary, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(canary);
        var (ns, name) = TargetNames.Of(canary);
        var target = await reader.GetDeploymentAsync(ns, name, cancellationToken).ConfigureAwait(false)
            ?? throw new TargetException($"deployment {name}.{ns} not found");
        if (_scalers.For(canary) is { } scaler)
        {
            await scaler.ResumeTargetAsync(canary, cancellationToken).ConfigureAwait(false);
        }

        var primary = await reader.GetDeploymentAsync(ns, name + CanaryNames.PrimarySuffix, cancellationToken).ConfigureAwait(false);
        var wanted = primary?.Spec.Replicas is > 0 ? primary.Spec.Replicas.Value : await ScaleUpReplicasAsync(canary, ns, name, cancellationToken).ConfigureAwait(false);

        // Never down: the primary may already be going (garbage collection after a first revert), and the user's own
        // replica count is never ours to lower while giving the traffic back.
        if ((target.Spec.Replicas ?? 0) < wanted)
        {
            target = await ScaleAsync(ns, name, wanted, cancellationToken).ConfigureAwait(false);
        }

        var effective = CanaryDefaults.Resolve(canary.Spec);
        return DeploymentReadiness.Evaluate(target, timeProvider.GetUtcNow(), effective.ProgressDeadline, 100, $"deployment {name}.{ns} not ready: ");
    }

    private async Task<int> ScaleUpReplicasAsync(CanaryResource canary, string ns, string name, CancellationToken cancellationToken)
    {
        if (_scalers.For(canary) is { } scaler && await scaler.ScaleUpReplicasAsync(canary, cancellationToken).ConfigureAwait(false) is { } minimum)
        {
            return minimum;
        }

        var primary = await reader.GetDeploymentAsync(ns, name + CanaryNames.PrimarySuffix, cancellationToken).ConfigureAwait(false);
        return primary?.Spec.Replicas is > 0 ? primary.Spec.Replicas.Value : 1;
    }

    private Task EnsurePrimaryScalerAsync(CanaryResource canary, bool update, CancellationToken cancellationToken) =>
        _scalers.For(canary) is { } scaler
            ? scaler.EnsurePrimaryAsync(canary, canary.Spec.TargetRef!.Name + CanaryNames.PrimarySuffix, update, cancellationToken)
            : Task.CompletedTask;

    private async Task<V1Deployment> ScaleAsync(string ns, string name, int replicas, CancellationToken cancellationToken)
    {
        // A merge patch of spec.replicas only: the one field of the user's Deployment we ever change.
        var body = "{\"spec\":{\"replicas\":" + replicas.ToString(System.Globalization.CultureInfo.InvariantCulture) + "}}";
        var patch = new V1Patch(body, V1Patch.PatchType.MergePatch);
        return await client.AppsV1.PatchNamespacedDeploymentAsync(patch, name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private async Task<TrackedConfigs> TrackAsync(string ns, V1Deployment target, CancellationToken cancellationToken)
    {
        if (!_options.EnableConfigTracking)
        {
            return TrackedConfigs.Empty;
        }

        try
        {
            return await _tracker.TrackAsync(ns, target.Spec.Template.Spec, cancellationToken).ConfigureAwait(false);
        }
        catch (ConfigTrackingException e)
        {
            throw new TargetException(e.Message, e);
        }
    }

    private TargetSelector ResolveSelector(V1Deployment target, string name, string ns)
    {
        try
        {
            return SelectorLabels.Resolve(target.Spec.Selector?.MatchLabels, _options.SelectorLabels, Kind, name, ns);
        }
        catch (TrafficRouterException e)
        {
            throw new TargetException(e.Message, e);
        }
    }
}
