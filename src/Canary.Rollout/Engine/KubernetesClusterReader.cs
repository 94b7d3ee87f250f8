using System.Net;
using Canary.Api.V1Beta1;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Canary.Rollout.Engine;

/// <summary><see cref="IClusterReader"/> doing direct GETs against the API server; 404 reads as null.</summary>
public sealed class KubernetesClusterReader(IKubernetes client) : IClusterReader
{
    /// <inheritdoc />
    public Task<CanaryResource?> GetCanaryAsync(string ns, string name, CancellationToken cancellationToken) =>
        OrNull(() => client.CustomObjects.GetNamespacedCustomObjectAsync<CanaryResource>(
            CanaryApi.Group, CanaryApi.Version, ns, CanaryResource.KubePluralName, name, cancellationToken));

    /// <inheritdoc />
    public Task<V1Deployment?> GetDeploymentAsync(string ns, string name, CancellationToken cancellationToken) =>
        OrNull(() => client.AppsV1.ReadNamespacedDeploymentAsync(name, ns, cancellationToken: cancellationToken));

    /// <inheritdoc />
    public Task<V1DaemonSet?> GetDaemonSetAsync(string ns, string name, CancellationToken cancellationToken) =>
        OrNull(() => client.AppsV1.ReadNamespacedDaemonSetAsync(name, ns, cancellationToken: cancellationToken));

    /// <inheritdoc />
    public Task<V1Service?> GetServiceAsync(string ns, string name, CancellationToken cancellationToken) =>
        OrNull(() => client.CoreV1.ReadNamespacedServiceAsync(name, ns, cancellationToken: cancellationToken));

    /// <inheritdoc />
    public Task<V1ConfigMap?> GetConfigMapAsync(string ns, string name, CancellationToken cancellationToken) =>
        OrNull(() => client.CoreV1.ReadNamespacedConfigMapAsync(name, ns, cancellationToken: cancellationToken));

    /// <inheritdoc />
    public Task<V1Secret?> GetSecretAsync(string ns, string name, CancellationToken cancellationToken) =>
        OrNull(() => client.CoreV1.ReadNamespacedSecretAsync(name, ns, cancellationToken: cancellationToken));

    /// <inheritdoc />
    public Task<V2HorizontalPodAutoscaler?> GetHorizontalPodAutoscalerAsync(string ns, string name, CancellationToken cancellationToken) =>
        OrNull(() => client.AutoscalingV2.ReadNamespacedHorizontalPodAutoscalerAsync(name, ns, cancellationToken: cancellationToken));

    private static async Task<T?> OrNull<T>(Func<Task<T>> read)
        where T : class
    {
        try
        {
            return await read().ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }
}
