using System.Text.Json.Nodes;
using Canary.Kubernetes.Errors;
using Canary.Kubernetes.Resources;
using Canary.Providers.Routing;
using k8s;

namespace Canary.Providers.Apply;

/// <summary>
/// Access to a custom resource (HTTPRoute, VirtualService, DestinationRule) as a <see cref="JsonObject"/>: fields this
/// library does not model (status, fields of newer API versions, other controllers' additions) survive a round trip.
/// </summary>
internal sealed class CustomObjectClient(IKubernetes kube, ResourceKind resource, IObjectCache? cache = null) : IResourceClient<JsonObject>
{
    public string Kind => resource.Kind;

    public bool TryGetCached(string ns, string name, out JsonObject? value)
    {
        value = null;
        return cache is not null && cache.TryGetObject(resource, ns, name, out value);
    }

    public Task<JsonObject?> GetAsync(string ns, string name, CancellationToken cancellationToken) =>
        KubeErrors.OrNullWhenNotFound(() => kube.CustomObjects.GetNamespacedCustomObjectAsync<JsonObject>(
            resource.Group, resource.Version, ns, resource.Plural, name, cancellationToken));

    public Task<JsonObject> CreateAsync(string ns, JsonObject value, CancellationToken cancellationToken) =>
        kube.CustomObjects.CreateNamespacedCustomObjectAsync<JsonObject>(
            value, resource.Group, resource.Version, ns, resource.Plural, cancellationToken: cancellationToken);

    public Task<JsonObject> ReplaceAsync(string ns, string name, JsonObject value, CancellationToken cancellationToken) =>
        kube.CustomObjects.ReplaceNamespacedCustomObjectAsync<JsonObject>(
            value, resource.Group, resource.Version, ns, resource.Plural, name, cancellationToken: cancellationToken);
}
