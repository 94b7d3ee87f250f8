using System.Globalization;
using System.Text.Json.Nodes;
using Canary.Sandbox.ApiServer.Resources;

namespace Canary.Sandbox.ApiServer.Http;

/// <summary>
/// Minimal OpenAPI v3 documents: enough for kubectl to see that every kind accepts the fieldValidation query
/// parameter (so create/apply delegate validation to the server instead of demanding a v2 schema). PATCH operations
/// deliberately declare no request body, which makes kubectl apply compute strategic merge patches from its
/// built-in types (and merge patches for custom resources), as it does against a real server.
/// </summary>
internal static class OpenApiDocuments
{
    public static JsonObject Index(ResourceRegistry registry)
    {
        var paths = new JsonObject();
        var hash = registry.Revision.ToString(CultureInfo.InvariantCulture);
        foreach (var (group, versions) in registry.Groups())
        {
            foreach (var v in versions)
            {
                var key = group.Length == 0 ? $"api/{v}" : $"apis/{group}/{v}";
                paths[key] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{key}?hash={hash}" };
            }
        }

        return new JsonObject { ["paths"] = paths };
    }

    public static JsonObject? Document(ResourceRegistry registry, string key)
    {
        var parts = key.Split('/');
        var (group, version) = parts switch
        {
            ["api", var v] => (string.Empty, v),
            ["apis", var g, var v] => (g, v),
            _ => (null, null),
        };
        if (group is null || version is null)
        {
            return null;
        }

        var types = registry.InGroupVersion(group, version);
        if (types.Count == 0)
        {
            return null;
        }

        var paths = new JsonObject();
        var schemas = new JsonObject();
        foreach (var t in types)
        {
            var prefix = group.Length == 0 ? $"/api/{version}" : $"/apis/{group}/{version}";
            var collection = t.Namespaced ? $"{prefix}/namespaces/{{namespace}}/{t.Plural}" : $"{prefix}/{t.Plural}";
            paths[collection] = new JsonObject { ["get"] = Operation(t, "list"), ["post"] = Operation(t, "post") };
            paths[collection + "/{name}"] = new JsonObject
            {
                ["get"] = Operation(t, "get"),
                ["put"] = Operation(t, "put"),
                ["patch"] = Operation(t, "patch"),
                ["delete"] = Operation(t, "delete"),
            };
            schemas[$"{(group.Length == 0 ? "core" : group)}.{version}.{t.Kind}"] = new JsonObject
            {
                ["type"] = "object",
                ["x-kubernetes-preserve-unknown-fields"] = true,
                ["x-kubernetes-group-version-kind"] = new JsonArray(Gvk(t)),
            };
        }

        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = "v1.32.0" },
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = schemas },
        };
    }

    private static JsonObject Operation(ResourceType t, string action) => new()
    {
        ["parameters"] = new JsonArray(Query("fieldValidation"), Query("fieldManager"), Query("dryRun")),
        ["responses"] = new JsonObject { ["200"] = new JsonObject { ["description"] = "OK" } },
        ["x-kubernetes-group-version-kind"] = Gvk(t),
        ["x-kubernetes-action"] = action,
    };

    private static JsonObject Query(string name) => new() { ["name"] = name, ["in"] = "query", ["schema"] = new JsonObject { ["type"] = "string" } };

    private static JsonObject Gvk(ResourceType t) => new() { ["group"] = t.Group, ["version"] = t.Version, ["kind"] = t.Kind };
}
