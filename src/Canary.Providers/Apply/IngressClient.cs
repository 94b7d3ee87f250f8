using Canary.Kubernetes.Errors;
using k8s;
using k8s.Models;

namespace Canary.Providers.Apply;

/// <summary>Typed access to networking.k8s.io/v1 Ingresses.</summary>
internal sealed class IngressClient(IKubernetes kube) : IResourceClient<V1Ingress>
{
    public string Kind => "Ingress";

    public Task<V1Ingress?> GetAsync(string ns, string name, CancellationToken cancellationToken) =>
        KubeErrors.OrNullWhenNotFound(() => kube.NetworkingV1.ReadNamespacedIngressAsync(name, ns, cancellationToken: cancellationToken));

    public Task<V1Ingress> CreateAsync(string ns, V1Ingress value, CancellationToken cancellationToken) =>
        kube.NetworkingV1.CreateNamespacedIngressAsync(value, ns, cancellationToken: cancellationToken);

    public Task<V1Ingress> ReplaceAsync(string ns, string name, V1Ingress value, CancellationToken cancellationToken) =>
        kube.NetworkingV1.ReplaceNamespacedIngressAsync(value, name, ns, cancellationToken: cancellationToken);
}
