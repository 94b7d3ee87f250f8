using System.Text.Json.Nodes;
using Canary.Sandbox.ApiServer.Resources;

namespace Canary.Sandbox.ApiServer.Http;

/// <summary>Legacy discovery documents (/version, /api, /apis, /api/v1, /apis/{group}/{version}) built from the registry.</summary>
internal static class DiscoveryDocuments
{
    private static readonly string[] AllVerbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];
    private static readonly string[] SubresourceVerbs = ["get", "patch", "update"];

    public static JsonObject Version() => new()
    {
        ["major"] = "1",
        ["minor"] = "32",
        ["gitVersion"] = "v1.32.0",
        ["gitCommit"] = "sandbox",
        ["gitTreeState"] = "clean",
        ["buildDate"] = "2025-01-01T00:00:00Z",
        ["goVersion"] = "go1.23.0",
        ["compiler"] = "gc",
        ["platform"] = "linux/amd64",
    };

    public static JsonObject CoreVersions(string serverAddress) => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = serverAddress }),
    };

    public static JsonObject Groups(ResourceRegistry registry) => new()
    {
        ["kind"] = "APIGroupList",
        ["apiVersion"] = "v1",
        ["groups"] = new JsonArray(registry.Groups().Where(g => g.Group.Length > 0).Select(g => (JsonNode?)Group(g.Group, g.Versions)).ToArray()),
    };

    public static JsonObject? Group(ResourceRegistry registry, string group)
    {
        var found = registry.Groups().FirstOrDefault(g => g.Group == group);
        return found.Group is null ? null : Group(found.Group, found.Versions);
    }

    public static JsonObject? ResourceList(ResourceRegistry registry, string group, string version)
    {
        var types = registry.InGroupVersion(group, version);
        if (types.Count == 0 && !(group.Length == 0 && version == "v1"))
        {
            return null;
        }

        var resources = new JsonArray();
        foreach (var t in types)
        {
            var main = new JsonObject
            {
                ["name"] = t.Plural,
                ["singularName"] = t.Singular,
                ["namespaced"] = t.Namespaced,
                ["kind"] = t.Kind,
                ["verbs"] = Array(t.Plural == "namespaces" ? AllVerbs.Where(v => v != "deletecollection") : AllVerbs),
            };
            if (t.ShortNames.Count > 0)
            {
                main["shortNames"] = Array(t.ShortNames);
            }

            if (t.Categories.Count > 0)
            {
                main["categories"] = Array(t.Categories);
            }

            resources.Add(main);
            if (t.HasStatus)
            {
                resources.Add(new JsonObject
                {
                    ["name"] = t.Plural + "/status", ["singularName"] = string.Empty, ["namespaced"] = t.Namespaced, ["kind"] = t.Kind, ["verbs"] = Array(SubresourceVerbs),
                });
            }

            if (t.Scale is not null)
            {
                resources.Add(new JsonObject
                {
                    ["name"] = t.Plural + "/scale", ["singularName"] = string.Empty, ["namespaced"] = t.Namespaced, ["group"] = "autoscaling",
                    ["version"] = "v1", ["kind"] = "Scale", ["verbs"] = Array(SubresourceVerbs),
                });
            }
        }

        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : $"{group}/{version}",
            ["resources"] = resources,
        };
    }

    private static JsonObject Group(string group, IReadOnlyList<string> versions)
    {
        JsonObject Gv(string v) => new() { ["groupVersion"] = $"{group}/{v}", ["version"] = v };
        return new JsonObject
        {
            ["kind"] = "APIGroup",
            ["apiVersion"] = "v1",
            ["name"] = group,
            ["versions"] = new JsonArray(versions.Select(v => (JsonNode?)Gv(v)).ToArray()),
            ["preferredVersion"] = Gv(versions[0]),
        };
    }

    private static JsonArray Array(IEnumerable<string> values) => new(values.Select(v => (JsonNode?)v).ToArray());
}
