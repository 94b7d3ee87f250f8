using System.Text.Json.Nodes;
using Canary.Sandbox.ApiServer.Patching;
using Canary.Sandbox.ApiServer.Resources;
using Canary.Sandbox.ApiServer.Store;

namespace Canary.Sandbox.Tests.Workloads;

/// <summary>Knative Serving objects for the Knative tests: minimal CRDs, a Knative Service, and readers of their status.</summary>
internal static class KnativeManifests
{
    public const string Group = "serving.knative.dev";

    public static readonly GroupVersionResource Services = new(Group, "v1", "services");
    public static readonly GroupVersionResource Revisions = new(Group, "v1", "revisions");

    /// <summary>
    /// Serves Knative Services and Revisions (namespaced, schemas keeping unknown fields, status subresource), unless the
    /// store already does: the sandbox ships no Knative CRDs of its own.
    /// </summary>
    public static void InstallCrds(ObjectStore store)
    {
        foreach (var (plural, kind) in new[] { ("services", "Service"), ("revisions", "Revision") })
        {
            if (!store.Registry.TryGet(new GroupVersionResource(Group, "v1", plural), out _))
            {
                store.Create(BuiltInResources.CustomResourceDefinitions, null, Crd(plural, kind));
            }
        }
    }

    /// <summary>A Knative Service of one container (image <paramref name="image"/>, port 9898) with these template annotations.</summary>
    public static JsonObject Service(string ns, string name, string image, Dictionary<string, string>? annotations = null)
    {
        var metadata = new JsonObject { ["labels"] = new JsonObject { ["app"] = name } };
        if (annotations is not null)
        {
            metadata["annotations"] = new JsonObject([.. annotations.Select(a => KeyValuePair.Create(a.Key, (JsonNode?)a.Value))]);
        }

        return new JsonObject
        {
            ["apiVersion"] = $"{Group}/v1",
            ["kind"] = "Service",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
            ["spec"] = new JsonObject
            {
                ["template"] = new JsonObject
                {
                    ["metadata"] = metadata,
                    ["spec"] = new JsonObject
                    {
                        ["containers"] = new JsonArray(new JsonObject
                        {
                            ["image"] = image,
                            ["ports"] = new JsonArray(new JsonObject { ["containerPort"] = 9898 }),
                        }),
                    },
                },
            },
        };
    }

    /// <summary>A new template: another image and these annotations (none: the annotations are removed).</summary>
    public static void SetTemplate(ObjectStore store, string ns, string name, string image, Dictionary<string, string>? annotations = null)
    {
        var metadata = new JsonObject
        {
            ["annotations"] = annotations is null ? null : new JsonObject([.. annotations.Select(a => KeyValuePair.Create(a.Key, (JsonNode?)a.Value))]),
        };
        var containers = new JsonArray(new JsonObject { ["image"] = image, ["ports"] = new JsonArray(new JsonObject { ["containerPort"] = 9898 }) });
        store.Patch(Services, ns, name, PatchType.Merge, new JsonObject
        {
            ["spec"] = new JsonObject { ["template"] = new JsonObject { ["metadata"] = metadata, ["spec"] = new JsonObject { ["containers"] = containers } } },
        });
    }

    /// <summary>Writes spec.traffic (and the primary-revision annotation) as the knative router does, or removes it.</summary>
    public static void SetTraffic(ObjectStore store, string ns, string name, params JsonObject[] targets) =>
        store.Patch(Services, ns, name, PatchType.Merge, new JsonObject
        {
            ["spec"] = new JsonObject { ["traffic"] = targets.Length == 0 ? null : new JsonArray([.. targets]) },
        });

    public static JsonObject Latest(int percent) => new() { ["latestRevision"] = true, ["percent"] = percent };

    public static JsonObject Named(string revision, int percent) => new() { ["revisionName"] = revision, ["percent"] = percent };

    public static JsonObject? Condition(JsonObject obj, string type) =>
        (obj["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => (string?)c["type"] == type);

    /// <summary>(status, reason) of a condition; (null, null) when absent.</summary>
    public static (string? Status, string? Reason) State(JsonObject obj, string type) =>
        Condition(obj, type) is { } c ? ((string?)c["status"], (string?)c["reason"]) : (null, null);

    public static string? Str(JsonObject obj, string path) => (string?)Node(obj, path);

    public static string? Label(JsonObject obj, string key) => (string?)obj["metadata"]?["labels"]?[key];

    /// <summary>status.traffic in order, each as "&lt;revisionName&gt; latest|named &lt;percent&gt;".</summary>
    public static IReadOnlyList<string> StatusTraffic(JsonObject service) =>
        [.. (service["status"]?["traffic"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(t => $"{(string?)t["revisionName"]} {((bool?)t["latestRevision"] switch { true => "latest", false => "named", null => "?" })} {Long(t["percent"])}")];

    public static long? Long(JsonNode? node) =>
        node is JsonValue v ? v.TryGetValue<long>(out var l) ? l : v.TryGetValue<int>(out var i) ? i : null : null;

    private static JsonNode? Node(JsonObject obj, string path)
    {
        JsonNode? current = obj;
        foreach (var segment in path.Split('.'))
        {
            current = (current as JsonObject)?[segment];
        }

        return current;
    }

    private static JsonObject Crd(string plural, string kind) => new()
    {
        ["apiVersion"] = "apiextensions.k8s.io/v1",
        ["kind"] = "CustomResourceDefinition",
        ["metadata"] = new JsonObject { ["name"] = $"{plural}.{Group}" },
        ["spec"] = new JsonObject
        {
            ["group"] = Group,
            ["scope"] = "Namespaced",
            ["names"] = new JsonObject { ["plural"] = plural, ["singular"] = kind.ToLowerInvariant(), ["kind"] = kind, ["listKind"] = kind + "List" },
            ["versions"] = new JsonArray(new JsonObject
            {
                ["name"] = "v1",
                ["served"] = true,
                ["storage"] = true,
                ["subresources"] = new JsonObject { ["status"] = new JsonObject() },
                ["schema"] = new JsonObject
                {
                    ["openAPIV3Schema"] = new JsonObject { ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true },
                },
            }),
        },
    };
}
