using Canary.Kubernetes.Resources;
using Canary.Providers.Registry;

namespace Canary.Controller.Informers;

/// <summary>
/// The routing kinds the controller caches for a <c>--mesh-provider</c>, from the traffic provider registry (core
/// Services are cached anyway). Extra kinds can be registered in DI as <see cref="ResourceKind"/> singletons.
/// </summary>
public static class RouterKinds
{
    /// <summary>Kinds of the registered provider named <paramref name="meshProvider"/>; none for a name the registry lacks.</summary>
    public static IReadOnlyList<ResourceKind> For(string meshProvider)
    {
        ArgumentNullException.ThrowIfNull(meshProvider);
        return TrafficProviderRegistry.Default.Find(meshProvider) is { } provider
            ? [.. provider.Resources.Where(r => r.Group.Length > 0).Select(r => new ResourceKind(r.Group, r.Version, r.Plural, r.Kind))]
            : [];
    }
}
