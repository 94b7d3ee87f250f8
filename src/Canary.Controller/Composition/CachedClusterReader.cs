using Canary.Controller.Informers;
using Canary.Controller.Secrets;
using Canary.Controller.Sharding;
using Canary.Rollout.Engine;
using k8s;
using k8s.Models;
using CanaryResource = Canary.Api.V1Beta1.Canary;

namespace Canary.Controller.Composition;

/// <summary>
/// The engine's <see cref="IClusterReader"/> over the informer caches: no API request in steady state. Two exceptions,
/// both rare: (1) a cache miss falls back to a GET, because the cache may simply not have seen the object yet: the engine
/// creates the primary Deployment/ConfigMaps/Secrets/HPA and re-reads them in the same tick, and a Canary applied right
/// after its Deployment can reach the Canary informer first — without the GET that tick would report a spurious
/// "not found" Warning; (2) ConfigMaps are only cached with config tracking, so without it a ConfigMap read is a GET.
/// Secrets come from <see cref="ReferencedSecrets"/> (a GET when one changed, never a cache of every Secret).
/// Objects are returned as copies: the engine may modify what it reads, the caches are shared. A Canary just taken over
/// from another replica (<see cref="HandoffReads"/>) is read once with a GET.
/// </summary>
public sealed class CachedClusterReader(
    ControllerCaches caches, RecentCanaryWrites writes, ReferencedSecrets secrets, IKubernetes client, HandoffReads handoffs) : IClusterReader
{
    private readonly KubernetesClusterReader _api = new(client);

    /// <inheritdoc />
    public async Task<CanaryResource?> GetCanaryAsync(string ns, string name, CancellationToken cancellationToken)
    {
        var cached = caches.Canaries.Store.Get(ns, name);
        if (handoffs.TryTake(ns, name))
        {
            var live = await _api.GetCanaryAsync(ns, name, cancellationToken).ConfigureAwait(false);
            if (live is not null && cached is not null && live.Metadata.ResourceVersion != cached.Metadata.ResourceVersion)
            {
                // Served as if this replica had written it, until the watch delivers it.
                writes.Record(cached.Metadata.ResourceVersion, live);
            }
        }

        return Copy(writes.Resolve(ns, name, cached));
    }

    /// <inheritdoc />
    public Task<V1Deployment?> GetDeploymentAsync(string ns, string name, CancellationToken cancellationToken) =>
        ReadAsync(caches.Deployments, ns, name, _api.GetDeploymentAsync, cancellationToken);

    /// <inheritdoc />
    public Task<V1DaemonSet?> GetDaemonSetAsync(string ns, string name, CancellationToken cancellationToken) =>
        ReadAsync(caches.DaemonSets, ns, name, _api.GetDaemonSetAsync, cancellationToken);

    /// <inheritdoc />
    public Task<V1Service?> GetServiceAsync(string ns, string name, CancellationToken cancellationToken) =>
        ReadAsync(caches.Services, ns, name, _api.GetServiceAsync, cancellationToken);

    /// <inheritdoc />
    public Task<V1ConfigMap?> GetConfigMapAsync(string ns, string name, CancellationToken cancellationToken) =>
        caches.ConfigMaps is { } configMaps
            ? ReadAsync(configMaps, ns, name, _api.GetConfigMapAsync, cancellationToken)
            : _api.GetConfigMapAsync(ns, name, cancellationToken);

    /// <inheritdoc />
    public Task<V1Secret?> GetSecretAsync(string ns, string name, CancellationToken cancellationToken) =>
        secrets.GetAsync(ns, name, cancellationToken);

    /// <inheritdoc />
    public Task<V2HorizontalPodAutoscaler?> GetHorizontalPodAutoscalerAsync(string ns, string name, CancellationToken cancellationToken) =>
        ReadAsync(caches.HorizontalPodAutoscalers, ns, name, _api.GetHorizontalPodAutoscalerAsync, cancellationToken);

    private static Task<T?> ReadAsync<T>(
        ResourceInformer<T> informer, string ns, string name, Func<string, string, CancellationToken, Task<T?>> get, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var cached = informer.Store.Get(ns, name);
        return cached is not null ? Task.FromResult(Copy(cached)) : get(ns, name, cancellationToken);
    }

    private static T? Copy<T>(T? item)
        where T : class => item is null ? null : KubernetesJson.Deserialize<T>(KubernetesJson.Serialize(item));
}
