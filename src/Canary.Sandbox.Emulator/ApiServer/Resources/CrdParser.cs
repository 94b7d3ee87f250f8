using System.Text.Json.Nodes;
using Canary.Sandbox.Json;

namespace Canary.Sandbox.ApiServer.Resources;

/// <summary>Turns a CustomResourceDefinition object into the resource types it serves, or rejects it as Invalid.</summary>
internal static class CrdParser
{
    private const string CrdKind = "CustomResourceDefinition";

    public static IReadOnlyList<ResourceType> Parse(JsonObject crd)
    {
        var name = crd["metadata"]?["name"]?.GetValue<string>() ?? string.Empty;
        var spec = crd["spec"] as JsonObject ?? throw Invalid(name, "spec", "Required value");
        var group = Str(spec, "group") ?? throw Invalid(name, "spec.group", "Required value");
        var names = spec["names"] as JsonObject ?? throw Invalid(name, "spec.names", "Required value");
        var plural = Str(names, "plural") ?? throw Invalid(name, "spec.names.plural", "Required value");
        var kind = Str(names, "kind") ?? throw Invalid(name, "spec.names.kind", "Required value");
        if (name != $"{plural}.{group}")
        {
            throw Invalid(name, "metadata.name", $"must be spec.names.plural+\".\"+spec.group");
        }

        var scope = Str(spec, "scope") ?? throw Invalid(name, "spec.scope", "Required value");
        if (scope is not ("Namespaced" or "Cluster"))
        {
            throw Invalid(name, "spec.scope", "Unsupported value: \"" + scope + "\": supported values: \"Cluster\", \"Namespaced\"");
        }

        if (spec["versions"] is not JsonArray { Count: > 0 } versions)
        {
            throw Invalid(name, "spec.versions", "Required value: must have exactly one version marked as storage version");
        }

        var storageCount = versions.Count(v => v?["storage"]?.GetValue<bool>() == true);
        if (storageCount != 1)
        {
            throw Invalid(name, "spec.versions", "Invalid value: must have exactly one version marked as storage version");
        }

        var result = new List<ResourceType>();
        foreach (var v in versions.OfType<JsonObject>())
        {
            var version = Str(v, "name") ?? throw Invalid(name, "spec.versions[].name", "Required value");
            if (v["served"]?.GetValue<bool>() != true)
            {
                continue;
            }

            var subresources = v["subresources"] as JsonObject ?? spec["subresources"] as JsonObject;
            var scale = subresources?["scale"] as JsonObject;
            var columns = (v["additionalPrinterColumns"] ?? spec["additionalPrinterColumns"]) as JsonArray;
            result.Add(new ResourceType
            {
                Group = group,
                Version = version,
                Plural = plural,
                Singular = Str(names, "singular") ?? kind.ToLowerInvariant(),
                Kind = kind,
                Namespaced = scope == "Namespaced",
                ShortNames = Strings(names["shortNames"]),
                Categories = Strings(names["categories"]),
                HasStatus = subresources?["status"] is not null,
                Scale = scale is null
                    ? null
                    : new ScaleSubresource(
                        Str(scale, "specReplicasPath") ?? throw Invalid(name, "spec.versions[].subresources.scale.specReplicasPath", "Required value"),
                        Str(scale, "statusReplicasPath") ?? throw Invalid(name, "spec.versions[].subresources.scale.statusReplicasPath", "Required value"),
                        Str(scale, "labelSelectorPath")),
                TracksGeneration = true,
                IsCustom = true,
                ReturnsDeletedObject = true,
                PrinterColumns = columns?.OfType<JsonObject>().Select(c => new PrinterColumn(
                    Str(c, "name") ?? string.Empty,
                    Str(c, "type") ?? "string",
                    Str(c, "jsonPath") ?? string.Empty,
                    Str(c, "description"),
                    (int)(KubeJson.LongOrNull(c["priority"]) ?? 0))).ToList() ?? [],
                CustomPrinterColumns = columns is not null,
            });
        }

        return result;
    }

    private static string? Str(JsonObject o, string key) => o[key] is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0 ? s : null;

    private static string[] Strings(JsonNode? node) =>
        node is JsonArray a ? a.Select(x => x?.GetValue<string>()).OfType<string>().ToArray() : [];

    private static ApiException Invalid(string name, string field, string message) =>
        ApiException.Invalid("apiextensions.k8s.io", CrdKind, name, field, message);
}
