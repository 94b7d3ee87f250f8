using System.Globalization;
using System.Text.Json.Nodes;
using Canary.Sandbox.ApiServer.Resources;
using Canary.Sandbox.Json;

namespace Canary.Sandbox.ApiServer.Store;

/// <summary>The defaults a real API server fills in for the built-in kinds (the ones clients read back and rely on).</summary>
internal sealed class Defaulter
{
    private int _nextServiceIp;

    /// <summary>Defaults applied on every write (the real server applies them whenever it decodes an object).</summary>
    public static void ApplySpecDefaults(ResourceType type, JsonObject obj)
    {
        var spec = obj["spec"] as JsonObject;
        switch (type.Group, type.Plural)
        {
            case ("apps", "deployments"):
                spec ??= Ensure(obj, "spec");
                spec["replicas"] ??= 1;
                spec["revisionHistoryLimit"] ??= 10;
                spec["progressDeadlineSeconds"] ??= 600;
                spec["strategy"] ??= new JsonObject
                {
                    ["type"] = "RollingUpdate",
                    ["rollingUpdate"] = new JsonObject { ["maxUnavailable"] = "25%", ["maxSurge"] = "25%" },
                };
                break;
            case ("apps", "replicasets"):
                spec ??= Ensure(obj, "spec");
                spec["replicas"] ??= 1;
                break;
            case ("", "secrets"):
                obj["type"] ??= "Opaque";
                MergeStringData(obj);
                break;
            case ("", "services") when spec is not null:
                spec["type"] ??= "ClusterIP";
                spec["sessionAffinity"] ??= "None";
                foreach (var port in (spec["ports"] as JsonArray)?.OfType<JsonObject>() ?? [])
                {
                    port["protocol"] ??= "TCP";
                    port["targetPort"] ??= port["port"]?.DeepClone();
                }

                break;
        }
    }

    // A real server folds stringData into data (base64) on every write and never stores stringData.
    private static void MergeStringData(JsonObject secret)
    {
        if (secret["stringData"] is not JsonObject stringData)
        {
            secret.Remove("stringData");
            return;
        }

        var data = secret["data"] as JsonObject ?? Ensure(secret, "data");
        foreach (var (key, value) in stringData)
        {
            data[key] = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(value?.GetValue<string>() ?? string.Empty));
        }

        secret.Remove("stringData");
    }

    /// <summary>Defaults and initial status set only when an object is created.</summary>
    public void ApplyCreateDefaults(ResourceType type, JsonObject obj)
    {
        ApplySpecDefaults(type, obj);
        var metadata = KubeJson.Meta(obj);
        switch (type.Group, type.Plural)
        {
            case ("", "namespaces"):
                var labels = metadata["labels"] as JsonObject ?? Ensure(metadata, "labels");
                labels["kubernetes.io/metadata.name"] = KubeJson.Str(metadata, "name");
                obj["status"] = new JsonObject { ["phase"] = "Active" };
                break;
            case ("", "services"):
                var spec = obj["spec"] as JsonObject ?? Ensure(obj, "spec");
                if (KubeJson.Str(spec, "type") != "ExternalName" && spec["clusterIP"] is null)
                {
                    var n = Interlocked.Increment(ref _nextServiceIp);
                    var ip = string.Create(CultureInfo.InvariantCulture, $"10.96.{n / 250}.{(n % 250) + 1}");
                    spec["clusterIP"] = ip;
                    spec["clusterIPs"] = new JsonArray(ip);
                }

                obj["status"] = new JsonObject { ["loadBalancer"] = new JsonObject() };
                break;
            case ("", "pods"):
                obj["status"] = new JsonObject { ["phase"] = "Pending" };
                break;
            case ("apiextensions.k8s.io", "customresourcedefinitions"):
                obj["status"] = CrdStatus(obj);
                break;
        }
    }

    // A CRD is served as soon as it exists, so it is reported Established at once.
    public static JsonObject CrdStatus(JsonObject crd)
    {
        var spec = crd["spec"] as JsonObject;
        var stored = (spec?["versions"] as JsonArray)?.OfType<JsonObject>()
            .Where(v => v["storage"]?.GetValue<bool>() == true).Select(v => (JsonNode?)KubeJson.Str(v, "name")).ToArray() ?? [];
        var now = KubeJson.Str(KubeJson.Meta(crd), "creationTimestamp");
        return new JsonObject
        {
            ["conditions"] = new JsonArray(
                Condition("NamesAccepted", "NoConflicts", "no conflicts found", now),
                Condition("Established", "InitialNamesAccepted", "the initial names have been accepted", now)),
            ["acceptedNames"] = spec?["names"]?.DeepClone(),
            ["storedVersions"] = new JsonArray(stored),
        };
    }

    private static JsonObject Condition(string type, string reason, string message, string? now) => new()
    {
        ["type"] = type,
        ["status"] = "True",
        ["lastTransitionTime"] = now,
        ["reason"] = reason,
        ["message"] = message,
    };

    private static JsonObject Ensure(JsonObject parent, string key)
    {
        var fresh = new JsonObject();
        parent[key] = fresh;
        return fresh;
    }
}
