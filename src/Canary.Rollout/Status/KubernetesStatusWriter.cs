using System.Net;
using Canary.Api.V1Beta1;
using k8s;
using k8s.Autorest;

namespace Canary.Rollout.Status;

/// <summary>
/// <see cref="IStatusWriter"/> over the API server: PUT <c>/status</c> with the resourceVersion read, re-reading on 409 so
/// a concurrent spec edit is never overwritten and the status never lost.
/// </summary>
public sealed class KubernetesStatusWriter(IKubernetes client) : IStatusWriter
{
    private const int MaxAttempts = 5;

    /// <inheritdoc />
    public async Task<CanaryResource> WriteAsync(CanaryResource canary, Func<CanaryResource, CanaryStatus> mutate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(canary);
        ArgumentNullException.ThrowIfNull(mutate);
        var current = canary;
        for (var attempt = 1; ; attempt++)
        {
            current.Status = mutate(current);
            try
            {
                return await client.CustomObjects.ReplaceNamespacedCustomObjectStatusAsync<CanaryResource>(
                    current, CanaryApi.Group, CanaryApi.Version, current.Metadata.NamespaceProperty, CanaryResource.KubePluralName,
                    current.Metadata.Name, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict && attempt < MaxAttempts)
            {
                current = await client.CustomObjects.GetNamespacedCustomObjectAsync<CanaryResource>(
                    CanaryApi.Group, CanaryApi.Version, canary.Metadata.NamespaceProperty, CanaryResource.KubePluralName,
                    canary.Metadata.Name, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
