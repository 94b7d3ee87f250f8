using k8s;
using k8s.Models;

namespace Canary.Controller.Informers;

/// <summary>Cache keys: <c>namespace/name</c>, or <c>name</c> for cluster-scoped objects.</summary>
public static class CacheKeys
{
    /// <summary>The key of an object.</summary>
    public static string Of(IKubernetesObject<V1ObjectMeta> item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return Of(item.Metadata?.NamespaceProperty, item.Metadata?.Name ?? string.Empty);
    }

    /// <summary>The key of a name.</summary>
    public static string Of(string? ns, string name) => string.IsNullOrEmpty(ns) ? name : $"{ns}/{name}";
}
