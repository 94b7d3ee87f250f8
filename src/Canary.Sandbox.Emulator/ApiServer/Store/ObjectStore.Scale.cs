using System.Text.Json.Nodes;
using Canary.Sandbox.ApiServer.Patching;
using Canary.Sandbox.ApiServer.Resources;
using Canary.Sandbox.ApiServer.Selectors;
using Canary.Sandbox.Json;

namespace Canary.Sandbox.ApiServer.Store;

/// <summary>The scale subresource: an autoscaling/v1 Scale view over the paths the resource declares.</summary>
public sealed partial class ObjectStore
{
    internal JsonObject GetScale(ResourceType type, string? ns, string name) => BuildScale(type, GetStored(type, ns, name));

    internal JsonObject UpdateScale(ResourceType type, string? ns, string name, JsonObject scale)
    {
        var space = Namespace(type, ns);
        lock (_gate)
        {
            var table = Table(type);
            var existing = table.Find(space, name) ?? throw ApiException.NotFound(type.Group, type.Plural, name);
            var result = WriteScale(table, type, existing, scale);
            DrainRemovals();
            return BuildScale(type, result);
        }
    }

    internal JsonObject PatchScale(ResourceType type, string? ns, string name, PatchType patchType, JsonNode patch)
    {
        var space = Namespace(type, ns);
        lock (_gate)
        {
            var table = Table(type);
            var existing = table.Find(space, name) ?? throw ApiException.NotFound(type.Group, type.Plural, name);

            // Scale is a built-in kind without lists, so a strategic merge patch of it is a merge patch.
            var patched = ApplyPatch(BuildScale(type, existing), patchType == PatchType.StrategicMerge ? PatchType.Merge : patchType, patch);
            var result = WriteScale(table, type, existing, patched);
            DrainRemovals();
            return BuildScale(type, result);
        }
    }

    private static JsonObject BuildScale(ResourceType type, StoredObject obj)
    {
        var scale = type.Scale!;
        var selector = scale.LabelSelectorPath is null ? null : KubeJson.AtPath(obj.Object, scale.LabelSelectorPath);
        var metadata = new JsonObject
        {
            ["name"] = obj.Name,
            ["uid"] = obj.Uid,
            ["resourceVersion"] = obj.ResourceVersionString,
            ["creationTimestamp"] = obj.Metadata["creationTimestamp"]?.DeepClone(),
        };
        if (obj.Namespace.Length > 0)
        {
            metadata["namespace"] = obj.Namespace;
        }

        var status = new JsonObject { ["replicas"] = Int(KubeJson.AtPath(obj.Object, scale.StatusReplicasPath)) };
        var selectorText = selector switch
        {
            JsonObject o => LabelSelector.FromObject(o).ToString(),
            JsonValue v when v.TryGetValue<string>(out var s) => s,
            _ => null,
        };
        if (!string.IsNullOrEmpty(selectorText))
        {
            status["selector"] = selectorText;
        }

        return new JsonObject
        {
            ["kind"] = "Scale",
            ["apiVersion"] = "autoscaling/v1",
            ["metadata"] = metadata,
            ["spec"] = new JsonObject { ["replicas"] = Int(KubeJson.AtPath(obj.Object, scale.SpecReplicasPath)) },
            ["status"] = status,
        };
    }

    private static int Int(JsonNode? node) => (int)(KubeJson.LongOrNull(node) ?? 0);

    private StoredObject WriteScale(ResourceTable table, ResourceType type, StoredObject existing, JsonObject scale)
    {
        var rv = KubeJson.Str(scale["metadata"] as JsonObject, "resourceVersion");
        if (!string.IsNullOrEmpty(rv) && rv != existing.ResourceVersionString)
        {
            throw ApiException.Conflict(type.Group, type.Plural, existing.Name, "the object has been modified; please apply your changes to the latest version and try again");
        }

        var replicasNode = scale["spec"]?["replicas"];
        var replicas = replicasNode is null ? 0 : KubeJson.LongOrNull(replicasNode) is { } n and <= int.MaxValue ? (int)n : -1;
        if (replicas < 0)
        {
            throw ApiException.Invalid("autoscaling", "Scale", existing.Name, "spec.replicas", "Invalid value: must be greater than or equal to 0");
        }

        var next = (JsonObject)existing.Object.DeepClone();
        KubeJson.SetPath(next, type.Scale!.SpecReplicasPath, replicas);
        KubeJson.Meta(next).Remove("resourceVersion");
        return ApplyUpdate(table, type, existing, next, null, checkResourceVersion: false);
    }
}
