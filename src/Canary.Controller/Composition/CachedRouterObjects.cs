using System.Text.Json.Nodes;
using Canary.Controller.Informers;
using Canary.Kubernetes.Json;
using Canary.Kubernetes.Resources;
using Canary.Providers.Apply;
using Canary.Rollout.Targets;
using k8s;
using k8s.Models;

namespace Canary.Controller.Composition;

/// <summary>
/// The routers' first read of a read-modify-write from the informer caches (Services and every router kind), so a
/// tick that finds the Services and routes already as wanted makes no request; only synced, served caches answer.
/// </summary>
public sealed class CachedRouterObjects(ControllerCaches caches) : IObjectCache
{
    /// <inheritdoc />
    public bool TryGetService(string ns, string name, out V1Service? service)
    {
        service = null;
        if (!caches.Services.HasSynced)
        {
            return false;
        }

        service = caches.Services.Store.Get(ns, name) is { } cached
            ? ObjectCopies.Clone(cached)
            : null;
        return true;
    }

    /// <inheritdoc />
    public bool TryGetObject(ResourceKind kind, string ns, string name, out JsonObject? value)
    {
        value = null;
        if (!caches.RoutersByKind.TryGetValue(kind, out var informer) || !informer.HasSynced || !informer.IsServed)
        {
            return false;
        }

        value = informer.Store.Get(kind.Namespaced ? ns : null, name) is { } cached
            ? JsonNodes.FromKube(cached)!.AsObject()
            : null;
        return true;
    }
}
