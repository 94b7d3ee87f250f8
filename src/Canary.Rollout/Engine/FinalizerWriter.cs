using Canary.Api.V1Beta1;
using k8s;
using k8s.Models;

namespace Canary.Rollout.Engine;

/// <summary>Adds or removes the engine's finalizer with a JSON merge patch guarded by the resourceVersion read.</summary>
public sealed class FinalizerWriter(IKubernetes client)
{
    /// <summary>True when <paramref name="canary"/> carries the engine's finalizer.</summary>
    public static bool Has(CanaryResource canary) => canary?.Metadata.Finalizers?.Contains(RolloutEngineOptions.Finalizer) == true;

    /// <summary>Adds the finalizer (no-op when present); returns the stored Canary.</summary>
    public Task<CanaryResource> AddAsync(CanaryResource canary, CancellationToken cancellationToken) =>
        Has(canary) ? Task.FromResult(canary)
            : PatchAsync(canary, [.. canary.Metadata.Finalizers ?? [], RolloutEngineOptions.Finalizer], cancellationToken);

    /// <summary>Removes the finalizer (no-op when absent); returns the stored Canary.</summary>
    public Task<CanaryResource> RemoveAsync(CanaryResource canary, CancellationToken cancellationToken) =>
        !Has(canary) ? Task.FromResult(canary)
            : PatchAsync(canary, [.. canary.Metadata.Finalizers!.Where(f => f != RolloutEngineOptions.Finalizer)], cancellationToken);

    private async Task<CanaryResource> PatchAsync(CanaryResource canary, List<string> finalizers, CancellationToken cancellationToken)
    {
        // The resourceVersion makes the patch fail with 409 rather than drop a finalizer another controller just added.
        var patch = new { metadata = new { finalizers, resourceVersion = canary.Metadata.ResourceVersion } };
        return await client.CustomObjects.PatchNamespacedCustomObjectAsync<CanaryResource>(
            new V1Patch(KubernetesJson.Serialize(patch), V1Patch.PatchType.MergePatch), CanaryApi.Group, CanaryApi.Version,
            canary.Metadata.NamespaceProperty, CanaryResource.KubePluralName, canary.Metadata.Name,
            cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}
