using System.Text.Json.Nodes;
using Canary.Sandbox.ApiServer.Resources;
using Canary.Sandbox.ApiServer.Watch;
using Canary.Sandbox.Json;

namespace Canary.Sandbox.ApiServer.Store;

/// <summary>Update semantics shared by PUT, PATCH and the scale subresource.</summary>
public sealed partial class ObjectStore
{
    private static readonly string[] ServerOwnedMetadata =
        ["name", "namespace", "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation"];

    /// <summary>
    /// Turns an incoming full object into the next stored version: optimistic concurrency, server-owned metadata kept,
    /// status kept on main writes and only status taken on status writes, generation bumped on spec changes,
    /// no-op writes not recorded, and an object being deleted removed once its last finalizer goes.
    /// </summary>
    private StoredObject ApplyUpdate(ResourceTable table, ResourceType type, StoredObject existing, JsonObject incoming, string? subresource, bool checkResourceVersion)
    {
        var inMeta = KubeJson.Meta(incoming);
        var rv = KubeJson.Str(inMeta, "resourceVersion");
        if (checkResourceVersion && !string.IsNullOrEmpty(rv) && rv != existing.ResourceVersionString)
        {
            throw ApiException.Conflict(type.Group, type.Plural, existing.Name, "the object has been modified; please apply your changes to the latest version and try again");
        }

        var uid = KubeJson.Str(inMeta, "uid");
        if (!string.IsNullOrEmpty(uid) && uid != existing.Uid)
        {
            throw ApiException.Conflict(type.Group, type.Plural, existing.Name, $"Precondition failed: UID in precondition: {uid}, UID in object meta: {existing.Uid}");
        }

        JsonObject next;
        if (subresource == "status")
        {
            next = (JsonObject)existing.Object.DeepClone();
            if (incoming["status"] is { } status)
            {
                next["status"] = status.DeepClone();
            }
            else
            {
                next.Remove("status");
            }
        }
        else
        {
            next = incoming;
            CheckKind(type, next);
            if (type.HasStatus)
            {
                next["status"] = existing.Object["status"]?.DeepClone();
                if (next["status"] is null)
                {
                    next.Remove("status");
                }
            }

            var meta = KubeJson.Meta(next);
            foreach (var key in ServerOwnedMetadata)
            {
                if (existing.Metadata[key] is { } value)
                {
                    meta[key] = value.DeepClone();
                }
                else
                {
                    meta.Remove(key);
                }
            }

            meta.Remove("managedFields");
            meta.Remove("selfLink");
            if (existing.IsDeleting && KubeJson.Strings(meta["finalizers"]).Except(existing.Finalizers).Any())
            {
                throw ApiException.Invalid(type.Group, type.Kind, existing.Name, "metadata.finalizers", "Forbidden: no new finalizers can be added if the object is being deleted");
            }

            Defaulter.ApplySpecDefaults(type, next);
            if (type.TracksGeneration && SpecChanged(existing.Object, next))
            {
                meta["generation"] = (KubeJson.LongOrNull(existing.Metadata["generation"]) ?? 0) + 1;
            }
        }

        KubeJson.Meta(next)["resourceVersion"] = existing.ResourceVersionString;
        if (JsonNode.DeepEquals(next, existing.Object))
        {
            return existing;
        }

        if (IsNamespace(type))
        {
            var committed = Commit(table, WatchEventType.Modified, next, existing);
            return TryFinishNamespace(committed.Name) ?? committed;
        }

        if (KubeJson.Meta(next)["deletionTimestamp"] is not null && KubeJson.Strings(KubeJson.Meta(next)["finalizers"]).Count == 0)
        {
            return RemoveNow(table, existing, next);
        }

        return Commit(table, WatchEventType.Modified, next, existing);
    }

    private static bool IsNamespace(ResourceType type) => type.Group.Length == 0 && type.Plural == "namespaces";

    // Generation follows everything but metadata and status (for built-ins that is the spec; for CRs, any field).
    private static bool SpecChanged(JsonObject before, JsonObject after)
    {
        var keys = before.Select(p => p.Key).Union(after.Select(p => p.Key)).Where(k => k is not ("metadata" or "status" or "apiVersion" or "kind"));
        return keys.Any(k => !JsonNode.DeepEquals(before[k], after[k]));
    }
}
