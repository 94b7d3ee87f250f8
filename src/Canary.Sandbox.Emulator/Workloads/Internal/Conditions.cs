using System.Text.Json.Nodes;
using Canary.Sandbox.Json;

namespace Canary.Sandbox.Workloads.Internal;

/// <summary>status.conditions handling with the semantics of the Kubernetes controllers' SetCondition helpers.</summary>
internal static class Conditions
{
    public static JsonObject? Get(JsonObject status, string type) =>
        (status["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => KubeJson.Str(c, "type") == type);

    /// <summary>
    /// As deploymentutil.SetDeploymentCondition: nothing changes when status and reason are the same; otherwise the
    /// condition is replaced (moved to the end), keeping lastTransitionTime when only the reason changed.
    /// <paramref name="withUpdateTime"/> adds lastUpdateTime (Deployments have it, HPAs do not).
    /// </summary>
    public static void Set(JsonObject status, string type, bool value, string reason, string message, string now, bool withUpdateTime)
    {
        var current = Get(status, type);
        var text = value ? "True" : "False";
        if (current is not null && KubeJson.Str(current, "status") == text && KubeJson.Str(current, "reason") == reason)
        {
            return;
        }

        var transition = current is not null && KubeJson.Str(current, "status") == text ? KubeJson.Str(current, "lastTransitionTime") ?? now : now;
        Replace(status, Build(type, text, reason, message, now, transition, withUpdateTime));
    }

    /// <summary>Removes the condition of this type and appends <paramref name="condition"/>.</summary>
    public static void Replace(JsonObject status, JsonObject condition)
    {
        var type = KubeJson.Str(condition, "type");
        var list = status["conditions"] as JsonArray ?? [];
        var kept = list.OfType<JsonObject>().Where(c => KubeJson.Str(c, "type") != type).Select(c => (JsonNode?)c.DeepClone()).ToList();
        kept.Add(condition);
        status["conditions"] = new JsonArray(kept.ToArray());
    }

    public static JsonObject Build(string type, string status, string reason, string message, string now, string transition, bool withUpdateTime)
    {
        var condition = new JsonObject { ["type"] = type, ["status"] = status };
        if (withUpdateTime)
        {
            condition["lastUpdateTime"] = now;
        }

        condition["lastTransitionTime"] = transition;
        condition["reason"] = reason;
        condition["message"] = message;
        return condition;
    }
}
