using Canary.Api.V1Beta1;
using Canary.Kubernetes.Retry;
using k8s;

namespace Canary.Rollout.Status;

/// <summary>
/// <see cref="IStatusWriter"/> over the API server: PUT <c>/status</c> with the resourceVersion read, re-reading on 409 so
/// a concurrent spec edit is never overwritten and the status never lost.
/// </summary>
public sealed class KubernetesStatusWriter(IKubernetes client) : IStatusWriter
{
    /// <inheritdoc />
    public Task<CanaryResource> WriteAsync(CanaryResource canary, Func<CanaryResource, CanaryStatus> mutate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(canary);
        ArgumentNullException.ThrowIfNull(mutate);
        var attempts = 0;
        return ConflictRetry.RunAsync(
            async ct =>
            {
                // The first attempt writes over what the caller read; after a 409 the mutation is re-applied to a fresh read.
                var current = attempts++ == 0 ? canary : await ReadAsync(canary, ct).ConfigureAwait(false);
                current.Status = mutate(current);
                return await client.CustomObjects.ReplaceNamespacedCustomObjectStatusAsync<CanaryResource>(
                    current, CanaryApi.Group, CanaryApi.Version, current.Metadata.NamespaceProperty, CanaryResource.KubePluralName,
                    current.Metadata.Name, cancellationToken: ct).ConfigureAwait(false);
            },
            cancellationToken);
    }

    private Task<CanaryResource> ReadAsync(CanaryResource canary, CancellationToken cancellationToken) =>
        client.CustomObjects.GetNamespacedCustomObjectAsync<CanaryResource>(
            CanaryApi.Group, CanaryApi.Version, canary.Metadata.NamespaceProperty, CanaryResource.KubePluralName,
            canary.Metadata.Name, cancellationToken);
}
