using System.Text.Json.Nodes;

namespace Canary.Sandbox.ApiServer.Patching;

/// <summary>RFC 7386 JSON merge patch: objects merge recursively, null removes a key, anything else replaces.</summary>
public static class JsonMergePatch
{
    /// <summary>Returns the patched document; the inputs are not modified.</summary>
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        var result = target is JsonObject t ? (JsonObject)t.DeepClone() : new JsonObject();
        MergeInto(result, patchObject);
        return result;
    }

    /// <summary>Merges the patch into target in place.</summary>
    internal static void MergeInto(JsonObject target, JsonObject patch)
    {
        foreach (var (key, value) in patch)
        {
            if (value is null)
            {
                target.Remove(key);
            }
            else if (value is JsonObject child)
            {
                if (target[key] is not JsonObject existing)
                {
                    existing = new JsonObject();
                    target[key] = existing;
                }

                MergeInto(existing, child);
            }
            else
            {
                target[key] = value.DeepClone();
            }
        }
    }
}
