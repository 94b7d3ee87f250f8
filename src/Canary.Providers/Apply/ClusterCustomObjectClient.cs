using System.Text.Json.Nodes;
using Canary.Kubernetes.Errors;
using Canary.Kubernetes.Resources;
using k8s;

namespace Canary.Providers.Apply;

/// <summary>
/// Access to a cluster-scoped custom resource (Kuma's TrafficRoute) as a <see cref="JsonObject"/>; the namespace the
/// shared read-modify-write loop passes is ignored.
/// </summary>
internal sealed class ClusterCustomObjectClient(IKubernetes kube, ResourceKind resource) : IResourceClient<JsonObject>
{
    public string Kind => resource.Kind;

    public Task<JsonObject?> GetAsync(string ns, string name, CancellationToken cancellationToken) =>
        KubeErrors.OrNullWhenNotFound(() => kube.CustomObjects.GetClusterCustomObjectAsync<JsonObject>(
            resource.Group, resource.Version, resource.Plural, name, cancellationToken));

    public Task<JsonObject> CreateAsync(string ns, JsonObject value, CancellationToken cancellationToken) =>
        kube.CustomObjects.CreateClusterCustomObjectAsync<JsonObject>(
            value, resource.Group, resource.Version, resource.Plural, cancellationToken: cancellationToken);

    public Task<JsonObject> ReplaceAsync(string ns, string name, JsonObject value, CancellationToken cancellationToken) =>
        kube.CustomObjects.ReplaceClusterCustomObjectAsync<JsonObject>(
            value, resource.Group, resource.Version, resource.Plural, name, cancellationToken: cancellationToken);

    /// <summary>Deletes the object; false when it was already gone.</summary>
    public async Task<bool> DeleteAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            await kube.CustomObjects.DeleteClusterCustomObjectAsync(resource.Group, resource.Version, resource.Plural, name, cancellationToken: cancellationToken);
            return true;
        }
        catch (Exception e) when (KubeErrors.IsNotFound(e))
        {
            return false;
        }
    }
}
