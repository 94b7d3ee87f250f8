using System.Text.Json.Nodes;
using Canary.Sandbox.Json;
using Canary.Sandbox.Workloads.Internal;

namespace Canary.Sandbox.Workloads.Controllers;

/// <summary>
/// Deployment status as the real controller computes it (calculateStatus and syncRolloutStatus in
/// pkg/controller/deployment): counts summed over the ReplicaSets, Available from the minimum availability
/// (spec.replicas - maxUnavailable), Progressing with NewReplicaSetCreated / ReplicaSetUpdated /
/// NewReplicaSetAvailable / ProgressDeadlineExceeded, and lastUpdateTime moved only on progress.
/// </summary>
internal static class DeploymentStatusCalculator
{
    public const string Available = "Available";
    public const string Progressing = "Progressing";
    public const string NewReplicaSetCreated = "NewReplicaSetCreated";
    public const string ReplicaSetUpdated = "ReplicaSetUpdated";
    public const string NewReplicaSetAvailable = "NewReplicaSetAvailable";
    public const string ProgressDeadlineExceeded = "ProgressDeadlineExceeded";

    public static JsonObject Calculate(JsonObject d, JsonObject newRs, IReadOnlyList<JsonObject> oldRs, string? createdReplicaSet, string now, DateTimeOffset clock)
    {
        var spec = d["spec"]!;
        var replicas = KubeJson.Int(spec["replicas"], 1);
        var previous = d["status"] as JsonObject ?? [];
        var all = oldRs.Append(newRs).ToList();
        int Sum(string field) => all.Sum(rs => KubeJson.Int(rs["status"]?[field]));

        var available = Sum("availableReplicas");
        var status = new JsonObject();
        KubeJson.SetNonZero(status, "observedGeneration", KubeJson.Generation(d));
        KubeJson.SetNonZero(status, "replicas", Sum("replicas"));
        KubeJson.SetNonZero(status, "updatedReplicas", KubeJson.Int(newRs["status"]?["replicas"]));
        KubeJson.SetNonZero(status, "readyReplicas", Sum("readyReplicas"));
        KubeJson.SetNonZero(status, "availableReplicas", available);
        KubeJson.SetNonZero(status, "unavailableReplicas", Math.Max(0, replicas - available));
        if (previous["conditions"] is JsonArray conditions)
        {
            status["conditions"] = conditions.DeepClone();
        }

        if (previous["collisionCount"] is { } collisions)
        {
            status["collisionCount"] = collisions.DeepClone();
        }

        var rsName = KubeJson.Name(newRs);
        if (createdReplicaSet is not null)
        {
            Conditions.Set(status, Progressing, true, NewReplicaSetCreated, $"Created new replica set \"{createdReplicaSet}\"", now, withUpdateTime: true);
        }

        if (available >= replicas - MaxUnavailable(d))
        {
            Conditions.Set(status, Available, true, "MinimumReplicasAvailable", "Deployment has minimum availability.", now, withUpdateTime: true);
        }
        else
        {
            Conditions.Set(status, Available, false, "MinimumReplicasUnavailable", "Deployment does not have minimum availability.", now, withUpdateTime: true);
        }

        SyncProgressing(d, previous, status, rsName, now, clock);
        return status;
    }

    /// <summary>When to look again for a missed progress deadline: lastUpdateTime + progressDeadlineSeconds, while rolling.</summary>
    public static DateTimeOffset? DeadlineCheckAt(JsonObject d, JsonObject status)
    {
        if (Deadline(d) is not { } deadline || Conditions.Get(status, Progressing) is not { } c ||
            KubeJson.Str(c, "status") != "True" || KubeJson.Str(c, "reason") == NewReplicaSetAvailable ||
            KubeJson.ParseTimestamp(KubeJson.Str(c, "lastUpdateTime")) is not { } from)
        {
            return null;
        }

        // The real check is strictly "after", so look a moment past the deadline.
        return from + deadline + TimeSpan.FromMilliseconds(10);
    }

    private static void SyncProgressing(JsonObject d, JsonObject previous, JsonObject status, string rsName, string now, DateTimeOffset clock)
    {
        if (Deadline(d) is null)
        {
            Remove(status, Progressing);
            return;
        }

        if (d["spec"]?["paused"] is JsonValue p && p.TryGetValue<bool>(out var paused) && paused)
        {
            return;
        }

        var current = Conditions.Get(status, Progressing);
        if (IsComplete(d, status))
        {
            Conditions.Set(status, Progressing, true, NewReplicaSetAvailable, $"ReplicaSet \"{rsName}\" has successfully progressed.", now, withUpdateTime: true);
        }
        else if (MadeProgress(previous, status))
        {
            // Unlike other conditions, Progressing gets a fresh lastUpdateTime on every bit of progress, even with the same reason.
            var transition = current is not null && KubeJson.Str(current, "status") == "True" ? KubeJson.Str(current, "lastTransitionTime") ?? now : now;
            Conditions.Replace(status, Conditions.Build(Progressing, "True", ReplicaSetUpdated, $"ReplicaSet \"{rsName}\" is progressing.", now, transition, withUpdateTime: true));
        }
        else if (TimedOut(d, status, clock))
        {
            Conditions.Set(status, Progressing, false, ProgressDeadlineExceeded, $"ReplicaSet \"{rsName}\" has timed out progressing.", now, withUpdateTime: true);
        }
    }

    private static bool IsComplete(JsonObject d, JsonObject status)
    {
        var replicas = KubeJson.Int(d["spec"]?["replicas"], 1);
        return KubeJson.Int(status["updatedReplicas"]) == replicas && KubeJson.Int(status["replicas"]) == replicas &&
               KubeJson.Int(status["availableReplicas"]) == replicas && KubeJson.Long(status["observedGeneration"]) >= KubeJson.Generation(d);
    }

    private static bool MadeProgress(JsonObject before, JsonObject after)
    {
        int Get(JsonObject s, string field) => KubeJson.Int(s[field]);
        return Get(after, "updatedReplicas") > Get(before, "updatedReplicas") ||
               Get(after, "replicas") - Get(after, "updatedReplicas") < Get(before, "replicas") - Get(before, "updatedReplicas") ||
               Get(after, "readyReplicas") > Get(before, "readyReplicas") ||
               Get(after, "availableReplicas") > Get(before, "availableReplicas");
    }

    private static bool TimedOut(JsonObject d, JsonObject status, DateTimeOffset clock)
    {
        if (Deadline(d) is not { } deadline || Conditions.Get(status, Progressing) is not { } c || KubeJson.Str(c, "reason") == NewReplicaSetAvailable)
        {
            return false;
        }

        return KubeJson.Str(c, "reason") == ProgressDeadlineExceeded ||
               (KubeJson.ParseTimestamp(KubeJson.Str(c, "lastUpdateTime")) is { } from && from + deadline < clock);
    }

    private static TimeSpan? Deadline(JsonObject d) =>
        KubeJson.Long(d["spec"]?["progressDeadlineSeconds"], -1) is var s and >= 0 and < int.MaxValue ? TimeSpan.FromSeconds(s) : null;

    /// <summary>Resolved maxUnavailable as deploymentutil.MaxUnavailable: 0 unless RollingUpdate; percentages round down, surge up.</summary>
    private static int MaxUnavailable(JsonObject d)
    {
        var spec = d["spec"]!;
        var replicas = KubeJson.Int(spec["replicas"], 1);
        if (KubeJson.Str(spec["strategy"], "type") is not (null or "RollingUpdate") || replicas == 0)
        {
            return 0;
        }

        var rolling = spec["strategy"]?["rollingUpdate"];
        var surge = Resolve(rolling?["maxSurge"], replicas, roundUp: true);
        var unavailable = Resolve(rolling?["maxUnavailable"], replicas, roundUp: false);
        if (surge == 0 && unavailable == 0)
        {
            unavailable = 1;
        }

        return Math.Min(unavailable, replicas);
    }

    private static int Resolve(JsonNode? value, int total, bool roundUp)
    {
        if (value is JsonValue v && v.TryGetValue<string>(out var text))
        {
            if (text.EndsWith('%') && int.TryParse(text.AsSpan(0, text.Length - 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var percent))
            {
                var exact = total * percent / 100.0;
                return (int)(roundUp ? Math.Ceiling(exact) : Math.Floor(exact));
            }

            return int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : 0;
        }

        return value is null ? (int)(roundUp ? Math.Ceiling(total * 0.25) : Math.Floor(total * 0.25)) : KubeJson.Int(value);
    }

    private static void Remove(JsonObject status, string type)
    {
        if (status["conditions"] is JsonArray list && Conditions.Get(status, type) is { } c)
        {
            list.Remove(c);
        }
    }
}
