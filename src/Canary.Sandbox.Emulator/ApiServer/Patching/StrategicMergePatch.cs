using System.Text.Json.Nodes;

namespace Canary.Sandbox.ApiServer.Patching;

/// <summary>
/// Kubernetes strategic merge patch for the built-in kinds: lists with a patch merge key (containers by name,
/// ports by containerPort/port, ...) merge element-wise, finalizers merge as a set, other lists are replaced.
/// Understands the $patch (replace/delete/merge), $retainKeys, $setElementOrder and $deleteFromPrimitiveList directives.
/// </summary>
public static class StrategicMergePatch
{
    private const string PatchDirective = "$patch";
    private const string RetainKeys = "$retainKeys";
    private const string SetElementOrder = "$setElementOrder/";
    private const string DeleteFromPrimitiveList = "$deleteFromPrimitiveList/";

    /// <summary>Returns the patched object; the inputs are not modified.</summary>
    public static JsonObject Apply(JsonObject original, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            throw ApiException.BadRequest("strategic merge patch must be a JSON object");
        }

        var result = (JsonObject)original.DeepClone();
        return MergeObject(result, patchObject, string.Empty) ? result : new JsonObject();
    }

    // Merges patch into target in place; false when the patch deletes the whole map.
    private static bool MergeObject(JsonObject target, JsonObject patch, string path)
    {
        var directive = patch[PatchDirective]?.GetValue<string>();
        if (directive == "delete")
        {
            return false;
        }

        if (directive == "replace")
        {
            target.Clear();
        }

        foreach (var (key, value) in patch.ToList())
        {
            if (key.StartsWith('$'))
            {
                continue;
            }

            var childPath = path.Length == 0 ? key : path + "." + key;
            switch (value)
            {
                case null:
                    target.Remove(key);
                    break;
                case JsonObject child:
                    var existing = target[key] as JsonObject;
                    var fresh = existing ?? new JsonObject();
                    if (MergeObject(fresh, child, childPath))
                    {
                        if (existing is null)
                        {
                            target[key] = fresh;
                        }
                    }
                    else
                    {
                        target.Remove(key);
                    }

                    break;
                case JsonArray list:
                    target[key] = MergeList(target[key] as JsonArray, list, childPath);
                    break;
                default:
                    target[key] = value.DeepClone();
                    break;
            }
        }

        foreach (var (key, value) in patch)
        {
            if (key.StartsWith(DeleteFromPrimitiveList, StringComparison.Ordinal) && value is JsonArray doomed &&
                target[key[DeleteFromPrimitiveList.Length..]] is JsonArray list)
            {
                foreach (var item in list.ToList())
                {
                    if (doomed.Any(d => JsonNode.DeepEquals(d, item)))
                    {
                        list.Remove(item);
                    }
                }
            }
        }

        foreach (var (key, value) in patch)
        {
            if (key.StartsWith(SetElementOrder, StringComparison.Ordinal) && value is JsonArray order &&
                target[key[SetElementOrder.Length..]] is JsonArray list)
            {
                var field = key[SetElementOrder.Length..];
                target[field] = Reorder(list, order, MergeKeyFor(path.Length == 0 ? field : path + "." + field));
            }
        }

        if (patch[RetainKeys] is JsonArray retain)
        {
            var keep = retain.Select(r => r?.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
            foreach (var key in target.Select(p => p.Key).ToList())
            {
                if (!keep.Contains(key))
                {
                    target.Remove(key);
                }
            }
        }

        return true;
    }

    private static JsonArray MergeList(JsonArray? original, JsonArray patch, string path)
    {
        var replaceAll = patch.OfType<JsonObject>().Any(e => e[PatchDirective]?.GetValue<string>() == "replace");
        var key = MergeKeyFor(path);
        if (replaceAll || original is null || key is null)
        {
            var fresh = new JsonArray();
            foreach (var element in patch)
            {
                if (element is JsonObject o)
                {
                    if (o[PatchDirective] is not null && o.Count == 1)
                    {
                        continue;
                    }

                    var clean = new JsonObject();
                    if (MergeObject(clean, o, path))
                    {
                        fresh.Add(clean);
                    }
                }
                else
                {
                    fresh.Add(element?.DeepClone());
                }
            }

            return fresh;
        }

        var result = (JsonArray)original.DeepClone();
        if (key == PrimitiveSet)
        {
            foreach (var element in patch)
            {
                if (!result.Any(e => JsonNode.DeepEquals(e, element)))
                {
                    result.Add(element?.DeepClone());
                }
            }

            return result;
        }

        foreach (var element in patch)
        {
            if (element is not JsonObject p)
            {
                result.Add(element?.DeepClone());
                continue;
            }

            var keyValue = p[key];
            var match = keyValue is null ? null : result.OfType<JsonObject>().FirstOrDefault(e => JsonNode.DeepEquals(e[key], keyValue));
            if (p[PatchDirective]?.GetValue<string>() == "delete")
            {
                if (match is not null)
                {
                    result.Remove(match);
                }

                continue;
            }

            if (match is not null)
            {
                MergeObject(match, p, path);
            }
            else
            {
                var fresh = new JsonObject();
                if (MergeObject(fresh, p, path))
                {
                    result.Add(fresh);
                }
            }
        }

        return result;
    }

    // Elements named by $setElementOrder come first in that order; elements only the server has keep their order after them.
    private static JsonArray Reorder(JsonArray list, JsonArray order, string? key)
    {
        var items = list.Select(n => n?.DeepClone()).ToList();
        var ordered = new List<JsonNode?>();
        foreach (var o in order)
        {
            var probe = key is null or PrimitiveSet ? o : (o as JsonObject)?[key];
            var hit = items.FirstOrDefault(i => JsonNode.DeepEquals(key is null or PrimitiveSet ? i : (i as JsonObject)?[key], probe));
            if (hit is not null)
            {
                ordered.Add(hit);
                items.Remove(hit);
            }
        }

        return new JsonArray([.. ordered, .. items]);
    }

    private const string PrimitiveSet = "<set>";

    // The patch merge keys of the Kubernetes API types the sandbox serves (from their patchMergeKey tags).
    private static string? MergeKeyFor(string path)
    {
        var segments = path.Split('.');
        var field = segments[^1];
        var parent = segments.Length > 1 ? segments[^2] : string.Empty;
        return field switch
        {
            "containers" or "initContainers" or "ephemeralContainers" or "volumes" or "env" or "imagePullSecrets" => "name",
            "ports" when parent is "containers" or "initContainers" or "ephemeralContainers" => "containerPort",
            "ports" when path == "spec.ports" => "port",
            "volumeMounts" => "mountPath",
            "volumeDevices" => "devicePath",
            "hostAliases" => "ip",
            "ownerReferences" => "uid",
            "conditions" => "type",
            "readinessGates" => "conditionType",
            "topologySpreadConstraints" => "topologyKey",
            "finalizers" when path == "metadata.finalizers" => PrimitiveSet,
            _ => null,
        };
    }
}
