using System.Text.Json.Nodes;
using Canary.Kubernetes.Errors;
using Canary.Kubernetes.Json;
using Canary.Kubernetes.Retry;
using k8s;
using k8s.Models;

namespace Canary.Rollout.Targets.Autoscalers;

/// <summary>
/// KEDA ScaledObject (keda.sh/v1alpha1), as Flagger: <c>&lt;so&gt;-primary</c> scales the primary, and the target's
/// ScaledObject is paused at zero replicas (<c>autoscaling.keda.sh/paused-replicas: "0"</c>) while the target is parked,
/// since KEDA would otherwise scale it straight back up. Read with GETs: these calls happen at initialization, releases
/// and deletion only, never on an idle tick.
/// </summary>
internal sealed class ScaledObjectScaler(IKubernetes client, CopiedMetadata copied) : ITargetScaler
{
    public async Task EnsurePrimaryAsync(CanaryResource canary, string primaryWorkload, bool update, CancellationToken cancellationToken)
    {
        var ns = canary.Metadata.NamespaceProperty;
        var source = await GetAsync(ns, canary.Spec.AutoscalerRef!.Name!, cancellationToken).ConfigureAwait(false)
            ?? throw new TargetException($"ScaledObject {canary.Spec.AutoscalerRef.Name}.{ns} not found");
        var desired = PrimaryScaledObjectBuilder.Build(canary, source, primaryWorkload, copied);
        var name = desired["metadata"]!["name"]!.GetValue<string>();
        await ConflictRetry.RunAsync(async ct =>
        {
            var existing = await GetAsync(ns, name, ct).ConfigureAwait(false);
            if (existing is null)
            {
                await client.CustomObjects.CreateNamespacedCustomObjectAsync(desired, PrimaryScaledObjectBuilder.Group, PrimaryScaledObjectBuilder.Version, ns, PrimaryScaledObjectBuilder.Plural, cancellationToken: ct).ConfigureAwait(false);
            }
            else if (update && !JsonNodes.SemanticEquals(existing["spec"], desired["spec"]))
            {
                existing["spec"] = desired["spec"]!.DeepClone();
                existing["metadata"]!["labels"] = desired["metadata"]!["labels"]!.DeepClone();
                await client.CustomObjects.ReplaceNamespacedCustomObjectAsync(existing, PrimaryScaledObjectBuilder.Group, PrimaryScaledObjectBuilder.Version, ns, PrimaryScaledObjectBuilder.Plural, name, cancellationToken: ct).ConfigureAwait(false);
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    public Task PauseTargetAsync(CanaryResource canary, CancellationToken cancellationToken) =>
        AnnotateTargetAsync(canary, "0", cancellationToken);

    public Task ResumeTargetAsync(CanaryResource canary, CancellationToken cancellationToken) =>
        AnnotateTargetAsync(canary, null, cancellationToken);

    public async Task<int?> ScaleUpReplicasAsync(CanaryResource canary, CancellationToken cancellationToken)
    {
        var source = await GetAsync(canary.Metadata.NamespaceProperty, canary.Spec.AutoscalerRef!.Name!, cancellationToken).ConfigureAwait(false);
        return source?["spec"]?["minReplicaCount"] is JsonValue min && min.TryGetValue<int>(out var value) && value > 1 ? value : 1;
    }

    // A merge patch of the one annotation, written only when it differs: the user's ScaledObject is otherwise untouched.
    private async Task AnnotateTargetAsync(CanaryResource canary, string? value, CancellationToken cancellationToken)
    {
        var ns = canary.Metadata.NamespaceProperty;
        var name = canary.Spec.AutoscalerRef!.Name!;
        var target = await GetAsync(ns, name, cancellationToken).ConfigureAwait(false)
            ?? throw new TargetException($"ScaledObject {name}.{ns} not found");
        var current = target["metadata"]?["annotations"]?[PrimaryScaledObjectBuilder.PausedReplicasAnnotation]?.GetValue<string>();
        if (current == value)
        {
            return;
        }

        var patch = new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [PrimaryScaledObjectBuilder.PausedReplicasAnnotation] = value } } };
        await client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), PrimaryScaledObjectBuilder.Group, PrimaryScaledObjectBuilder.Version, ns, PrimaryScaledObjectBuilder.Plural, name, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private async Task<JsonObject?> GetAsync(string ns, string name, CancellationToken cancellationToken) =>
        await KubeErrors.OrNullWhenNotFound(() => client.CustomObjects.GetNamespacedCustomObjectAsync<JsonObject>(PrimaryScaledObjectBuilder.Group, PrimaryScaledObjectBuilder.Version, ns, PrimaryScaledObjectBuilder.Plural, name, cancellationToken)).ConfigureAwait(false);
}
