using Canary.Kubernetes.Errors;
using Canary.Kubernetes.Retry;
using Canary.Rollout.Engine;
using k8s;
using k8s.Models;

namespace Canary.Rollout.Targets.Autoscalers;

/// <summary>autoscaling/v2 HorizontalPodAutoscaler: <c>&lt;hpa&gt;-primary</c> scales the primary; the target's HPA needs no pause (a Deployment at zero replicas is not scaled by its HPA).</summary>
internal sealed class HorizontalPodAutoscalerScaler(IClusterReader reader, IKubernetes client, CopiedMetadata copied) : ITargetScaler
{
    public async Task EnsurePrimaryAsync(CanaryResource canary, string primaryWorkload, bool update, CancellationToken cancellationToken)
    {
        var (ns, hpaName) = Names(canary);
        var source = await reader.GetHorizontalPodAutoscalerAsync(ns, hpaName, cancellationToken).ConfigureAwait(false)
            ?? throw new TargetException($"HorizontalPodAutoscaler {hpaName}.{ns} not found");
        var desired = PrimaryAutoscalerBuilder.Build(canary, source, primaryWorkload, copied);
        await ConflictRetry.RunAsync(async _ =>
        {
            V2HorizontalPodAutoscaler? existing;
            try
            {
                existing = await client.AutoscalingV2.ReadNamespacedHorizontalPodAutoscalerAsync(desired.Metadata.Name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (KubeErrors.IsNotFound(e))
            {
                existing = null;
            }

            if (existing is null)
            {
                await client.AutoscalingV2.CreateNamespacedHorizontalPodAutoscalerAsync(desired, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            else if (update && KubernetesJson.Serialize(existing.Spec) != KubernetesJson.Serialize(desired.Spec))
            {
                existing.Spec = desired.Spec;
                existing.Metadata.Labels = desired.Metadata.Labels;
                await client.AutoscalingV2.ReplaceNamespacedHorizontalPodAutoscalerAsync(existing, existing.Metadata.Name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    public Task PauseTargetAsync(CanaryResource canary, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task ResumeTargetAsync(CanaryResource canary, CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task<int?> ScaleUpReplicasAsync(CanaryResource canary, CancellationToken cancellationToken)
    {
        var (ns, hpaName) = Names(canary);
        var hpa = await reader.GetHorizontalPodAutoscalerAsync(ns, hpaName, cancellationToken).ConfigureAwait(false);
        return hpa?.Spec.MinReplicas is > 1 ? hpa.Spec.MinReplicas.Value : 1;
    }

    private static (string Namespace, string Name) Names(CanaryResource canary) =>
        (canary.Metadata.NamespaceProperty, canary.Spec.AutoscalerRef!.Name ?? string.Empty);
}
