using Canary.Api.V1Beta1;
using Canary.Kubernetes.Errors;
using k8s;
using k8s.Models;

namespace Canary.Rollout.Controls;

/// <summary><see cref="IControlRequests"/> straight against the API server: a list per call (tests, tools); the controller reads its cache.</summary>
public sealed class KubernetesControlRequests(IKubernetes client) : IControlRequests
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<CanaryRequest>> ListAsync(string ns, string canary, CancellationToken cancellationToken)
    {
        var list = await client.CustomObjects.ListNamespacedCustomObjectAsync<CanaryRequestList>(
            CanaryApi.Group, CanaryApi.Version, ns, CanaryRequest.KubePluralName, cancellationToken: cancellationToken).ConfigureAwait(false);
        return [.. list.Items.Where(r => r.Spec?.Canary == canary)];
    }

    /// <inheritdoc />
    public Task MarkHandledAsync(CanaryRequest request, CanaryRequestStatus status, CancellationToken cancellationToken) =>
        ControlRequestStatus.PatchAsync(client, request, status, cancellationToken);
}

/// <summary>The one write of a request's status: a merge patch of the status subresource.</summary>
public static class ControlRequestStatus
{
    /// <summary>Patches <paramref name="request"/>'s status; a request already deleted is left alone.</summary>
    public static async Task PatchAsync(IKubernetes client, CanaryRequest request, CanaryRequestStatus status, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(request);
        var patch = new V1Patch(Api.Serialization.CanaryJson.Serialize(new { status }), V1Patch.PatchType.MergePatch);
        try
        {
            await client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(
                patch, CanaryApi.Group, CanaryApi.Version, request.Metadata.NamespaceProperty, CanaryRequest.KubePluralName, request.Metadata.Name,
                cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (KubeErrors.IsNotFound(e))
        {
            // Deleted (or collected with its Canary) before it was marked: nothing left to tell.
        }
    }
}
