using Canary.Api.V1Beta1;
using Canary.Controller.Informers;
using Canary.Rollout.Controls;
using k8s;

namespace Canary.Controller.Composition;

/// <summary>CanaryRequests from the informer cache (no API call per tick); the status of a handled one is patched.</summary>
public sealed class CachedControlRequests(ControllerCaches caches, IKubernetes client) : IControlRequests
{
    /// <inheritdoc />
    public Task<IReadOnlyList<CanaryRequest>> ListAsync(string ns, string canary, CancellationToken cancellationToken) =>
        Task.FromResult(caches.CanaryRequests.Store.ByIndex(CanaryIndexes.ByCanary, CanaryIndexes.CanaryKey(ns, canary)));

    /// <inheritdoc />
    public Task MarkHandledAsync(CanaryRequest request, CanaryRequestStatus status, CancellationToken cancellationToken) =>
        ControlRequestStatus.PatchAsync(client, request, status, cancellationToken);
}
