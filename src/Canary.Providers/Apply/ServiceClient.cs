using Canary.Kubernetes.Errors;
using k8s;
using k8s.Models;

namespace Canary.Providers.Apply;

/// <summary>Typed access to core Services.</summary>
internal sealed class ServiceClient(IKubernetes kube, IObjectCache? cache = null) : IResourceClient<V1Service>
{
    public string Kind => "Service";

    public bool TryGetCached(string ns, string name, out V1Service? value)
    {
        value = null;
        return cache is not null && cache.TryGetService(ns, name, out value);
    }

    public Task<V1Service?> GetAsync(string ns, string name, CancellationToken cancellationToken) =>
        KubeErrors.OrNullWhenNotFound(() => kube.CoreV1.ReadNamespacedServiceAsync(name, ns, cancellationToken: cancellationToken));

    public Task<V1Service> CreateAsync(string ns, V1Service value, CancellationToken cancellationToken) =>
        kube.CoreV1.CreateNamespacedServiceAsync(value, ns, cancellationToken: cancellationToken);

    public Task<V1Service> ReplaceAsync(string ns, string name, V1Service value, CancellationToken cancellationToken) =>
        kube.CoreV1.ReplaceNamespacedServiceAsync(value, name, ns, cancellationToken: cancellationToken);
}
