using System.Text.Json.Nodes;
using Canary.Kubernetes.Json;

namespace Canary.Providers.Apply;

/// <summary>How a desired custom object is laid over the live one without clobbering what others own.</summary>
internal static class RouteObjects
{
    /// <summary>
    /// The live object with the desired spec, the desired labels (replacing or merged, per provider) and the desired
    /// annotations merged over the live ones; status, ownerReferences, finalizers and other metadata are kept. Null when
    /// nothing would change.
    /// </summary>
    public static JsonObject? MergeInto(JsonObject current, JsonObject desired, bool replaceLabels)
    {
        var result = (JsonObject)current.DeepClone();
        result["spec"] = desired["spec"]?.DeepClone();
        var metadata = JsonNodes.ChildObject(result, "metadata");
        var wantedLabels = JsonNodes.ReadMap(desired["metadata"]?["labels"]);
        var labels = replaceLabels ? wantedLabels : Merge(JsonNodes.ReadMap(metadata["labels"]), wantedLabels);
        SetMap(metadata, "labels", labels);
        SetMap(metadata, "annotations", Merge(JsonNodes.ReadMap(metadata["annotations"]), JsonNodes.ReadMap(desired["metadata"]?["annotations"])));
        return JsonNodes.SemanticEquals(current, result) ? null : result;
    }

    /// <summary>The live object with only its spec replaced; null when the spec is already that.</summary>
    public static JsonObject? WithSpec(JsonObject current, JsonObject spec)
    {
        if (JsonNodes.SemanticEquals(current["spec"], spec))
        {
            return null;
        }

        var result = (JsonObject)current.DeepClone();
        result["spec"] = spec.DeepClone();
        return result;
    }

    private static Dictionary<string, string> Merge(Dictionary<string, string> current, Dictionary<string, string> wanted)
    {
        foreach (var (key, value) in wanted)
        {
            current[key] = value;
        }

        return current;
    }

    private static void SetMap(JsonObject metadata, string key, Dictionary<string, string> values)
    {
        if (values.Count == 0)
        {
            metadata.Remove(key);
        }
        else
        {
            metadata[key] = JsonNodes.Map(values);
        }
    }
}
