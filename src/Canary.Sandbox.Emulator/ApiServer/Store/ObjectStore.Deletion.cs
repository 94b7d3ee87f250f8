using System.Text.Json.Nodes;
using Canary.Sandbox.ApiServer.Resources;
using Canary.Sandbox.ApiServer.Watch;
using Canary.Sandbox.Json;

namespace Canary.Sandbox.ApiServer.Store;

/// <summary>Deletion: finalizers, propagation policies, ownerReference garbage collection, namespace and CRD teardown.</summary>
public sealed partial class ObjectStore
{
    private const string ForegroundFinalizer = "foregroundDeletion";
    private readonly Queue<(ResourceTable Table, StoredObject Object)> _pendingRemovals = new();

    internal (StoredObject Object, bool Removed) DeleteStored(ResourceType type, string? ns, string name, DeleteOptions options)
    {
        var space = Namespace(type, ns);
        lock (_gate)
        {
            var table = Table(type);
            var existing = table.Find(space, name) ?? throw ApiException.NotFound(type.Group, type.Plural, name);
            if (!string.IsNullOrEmpty(options.PreconditionUid) && options.PreconditionUid != existing.Uid)
            {
                throw ApiException.Conflict(type.Group, type.Plural, name, $"Precondition failed: UID in precondition: {options.PreconditionUid}, UID in object meta: {existing.Uid}");
            }

            if (!string.IsNullOrEmpty(options.PreconditionResourceVersion) && options.PreconditionResourceVersion != existing.ResourceVersionString)
            {
                throw ApiException.Conflict(type.Group, type.Plural, name, $"Precondition failed: ResourceVersion in precondition: {options.PreconditionResourceVersion}, ResourceVersion in object meta: {existing.ResourceVersionString}");
            }

            var result = DeleteInternal(table, existing, options.PropagationPolicy);
            DrainRemovals();
            return result;
        }
    }

    internal IReadOnlyList<StoredObject> DeleteCollectionStored(ResourceType type, string? ns, ListOptions listOptions, DeleteOptions options)
    {
        var page = ListStored(type, ns, listOptions with { Limit = null, Continue = null });
        lock (_gate)
        {
            var table = Table(type);
            var result = new List<StoredObject>();
            foreach (var item in page.Items)
            {
                if (table.Find(item.Namespace, item.Name) is { } live)
                {
                    result.Add(DeleteInternal(table, live, options.PropagationPolicy).Object);
                }
            }

            DrainRemovals();
            return result;
        }
    }

    private (StoredObject Object, bool Removed) DeleteInternal(ResourceTable table, StoredObject existing, string? policy)
    {
        if (IsNamespace(table.Type))
        {
            return DeleteNamespace(table, existing);
        }

        if (existing.IsDeleting)
        {
            return existing.Finalizers.Count == 0
                ? (RemoveNow(table, existing, (JsonObject)existing.Object.DeepClone()), true)
                : (existing, false);
        }

        policy ??= "Background";
        if (policy is not ("Background" or "Foreground" or "Orphan"))
        {
            throw ApiException.Invalid(table.Group, table.Type.Kind, existing.Name, "propagationPolicy", $"Unsupported value: \"{policy}\"");
        }

        if (policy == "Orphan")
        {
            Orphan(existing);
        }

        var finalizers = existing.Finalizers.ToList();
        var dependents = _dependentsByOwner.TryGetValue(existing.Uid, out var set) ? set.ToList() : [];
        if (policy == "Foreground" && dependents.Count > 0 && !finalizers.Contains(ForegroundFinalizer))
        {
            finalizers.Add(ForegroundFinalizer);
        }

        if (finalizers.Count == 0)
        {
            return (RemoveNow(table, existing, (JsonObject)existing.Object.DeepClone()), true);
        }

        var next = (JsonObject)existing.Object.DeepClone();
        var meta = KubeJson.Meta(next);
        meta["deletionTimestamp"] = Now();
        meta["deletionGracePeriodSeconds"] = 0;
        meta["finalizers"] = new JsonArray(finalizers.Select(f => (JsonNode?)f).ToArray());
        if (table.Type.TracksGeneration)
        {
            meta["generation"] = (KubeJson.LongOrNull(meta["generation"]) ?? 0) + 1;
        }

        var marked = Commit(table, WatchEventType.Modified, next, existing);
        if (policy == "Foreground")
        {
            foreach (var key in dependents)
            {
                if (Find(key) is { } dependent)
                {
                    DeleteInternal(_tables[(key.Group, key.Resource)], dependent, "Foreground");
                }
            }
        }

        return (marked, false);
    }

    // Orphan: dependents lose their ownerReference to the owner instead of being collected.
    private void Orphan(StoredObject owner)
    {
        if (!_dependentsByOwner.TryGetValue(owner.Uid, out var set))
        {
            return;
        }

        foreach (var key in set.ToList())
        {
            if (Find(key) is not { } dependent)
            {
                continue;
            }

            var next = (JsonObject)dependent.Object.DeepClone();
            var meta = KubeJson.Meta(next);
            var refs = (JsonArray)meta["ownerReferences"]!;
            foreach (var r in refs.OfType<JsonObject>().Where(r => KubeJson.Str(r, "uid") == owner.Uid).ToList())
            {
                refs.Remove(r);
            }

            if (refs.Count == 0)
            {
                meta.Remove("ownerReferences");
            }

            Commit(_tables[(key.Group, key.Resource)], WatchEventType.Modified, next, dependent);
        }
    }

    private StoredObject RemoveNow(ResourceTable table, StoredObject existing, JsonObject finalState)
    {
        var removed = Commit(table, WatchEventType.Deleted, finalState, existing);
        _pendingRemovals.Enqueue((table, removed));
        return removed;
    }

    /// <summary>Runs the consequences of removals (garbage collection, waiting owners, namespaces, CRDs) until none are left.</summary>
    private void DrainRemovals()
    {
        while (_pendingRemovals.TryDequeue(out var r))
        {
            CollectDependents(r.Object);
            ReleaseForegroundOwners(r.Object);
            if (r.Object.Namespace.Length > 0)
            {
                TryFinishNamespace(r.Object.Namespace);
            }

            if (IsCrd(r.Table.Type))
            {
                RemoveCustomResources(r.Object);
            }
        }
    }

    // Dependents whose every owner is gone are deleted (in the background, as the garbage collector would).
    private void CollectDependents(StoredObject removed)
    {
        if (!_dependentsByOwner.Remove(removed.Uid, out var dependents))
        {
            return;
        }

        foreach (var key in dependents)
        {
            if (Find(key) is { } dependent && !dependent.OwnerUids.Any(u => u != removed.Uid && _byUid.ContainsKey(u)))
            {
                DeleteInternal(_tables[(key.Group, key.Resource)], dependent, "Background");
            }
        }
    }

    // An owner deleted in the foreground goes once its last dependent is gone.
    private void ReleaseForegroundOwners(StoredObject removed)
    {
        foreach (var ownerUid in removed.OwnerUids)
        {
            if (!_byUid.TryGetValue(ownerUid, out var key) || Find(key) is not { IsDeleting: true } owner ||
                !owner.Finalizers.Contains(ForegroundFinalizer) ||
                (_dependentsByOwner.TryGetValue(ownerUid, out var left) && left.Count > 0))
            {
                continue;
            }

            var next = (JsonObject)owner.Object.DeepClone();
            var remaining = owner.Finalizers.Where(f => f != ForegroundFinalizer).ToList();
            var table = _tables[(key.Group, key.Resource)];
            if (remaining.Count == 0)
            {
                KubeJson.Meta(next).Remove("finalizers");
                RemoveNow(table, owner, next);
            }
            else
            {
                KubeJson.Meta(next)["finalizers"] = new JsonArray(remaining.Select(f => (JsonNode?)f).ToArray());
                Commit(table, WatchEventType.Modified, next, owner);
            }
        }
    }

    private (StoredObject Object, bool Removed) DeleteNamespace(ResourceTable nsTable, StoredObject ns)
    {
        var current = ns;
        if (!ns.IsDeleting)
        {
            var next = (JsonObject)ns.Object.DeepClone();
            KubeJson.Meta(next)["deletionTimestamp"] = Now();
            next["status"] = new JsonObject { ["phase"] = "Terminating" };
            current = Commit(nsTable, WatchEventType.Modified, next, ns);
            foreach (var table in _tables.Values.Where(t => t.Type.Namespaced).ToList())
            {
                foreach (var obj in table.Enumerate(ns.Name).ToList())
                {
                    if (table.Find(obj.Namespace, obj.Name) is { } live)
                    {
                        DeleteInternal(table, live, "Background");
                    }
                }
            }
        }

        var finished = TryFinishNamespace(ns.Name);
        return finished is null ? (current, false) : (finished, true);
    }

    private StoredObject? TryFinishNamespace(string name)
    {
        var nsTable = Table(Registry.Get(BuiltInResources.Namespaces));
        if (nsTable.Find(string.Empty, name) is not { IsDeleting: true } ns || ns.Finalizers.Count > 0 ||
            _tables.Values.Any(t => t.Type.Namespaced && t.AnyIn(name)))
        {
            return null;
        }

        return RemoveNow(nsTable, ns, (JsonObject)ns.Object.DeepClone());
    }

    // Deleting a CRD stops serving its resource and removes every instance; open watches on it end.
    private void RemoveCustomResources(StoredObject crd)
    {
        Registry.RemoveCrd(crd.Name);
        var spec = crd.Object["spec"] as JsonObject;
        var key = (KubeJson.Str(spec, "group") ?? string.Empty, KubeJson.Str(spec?["names"] as JsonObject, "plural") ?? string.Empty);
        if (!_tables.Remove(key, out var table))
        {
            return;
        }

        foreach (var obj in table.Enumerate(null).ToList())
        {
            RemoveNow(table, obj, (JsonObject)obj.Object.DeepClone());
        }

        table.Hub.CompleteAll();
    }

    private StoredObject? Find(ObjectKey key) =>
        _tables.TryGetValue((key.Group, key.Resource), out var table) ? table.Find(key.Namespace, key.Name) : null;
}
