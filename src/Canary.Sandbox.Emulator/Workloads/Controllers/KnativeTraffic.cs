using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Canary.Sandbox.Json;
using Canary.Sandbox.Workloads.Internal;

namespace Canary.Sandbox.Workloads.Controllers;

/// <summary>One Knative condition's state ("True", "False" or "Unknown") and why; True ones carry no reason.</summary>
internal readonly record struct KnativeCondition(string Status, string? Reason = null, string? Message = null)
{
    public static KnativeCondition Ok { get; } = new("True");

    public bool IsOk => Status == "True";

    public bool IsFailed => Status == "False";

    public static KnativeCondition Waiting(string reason, string message) => new("Unknown", reason, message);

    public static KnativeCondition Failed(string reason, string message) => new("False", reason, message);

    /// <summary>A Ready condition over its parts, as Knative's condition sets compute it: the first False, else the first Unknown, else True.</summary>
    public static KnativeCondition Summary(params KnativeCondition[] parts) =>
        Array.Find(parts, p => p.IsFailed) is { Status: not null } failed ? failed
        : Array.Find(parts, p => !p.IsOk) is { Status: not null } waiting ? waiting
        : Ok;

    /// <summary>status.conditions as Knative writes them: sorted by type, lastTransitionTime kept while a status stays the same.</summary>
    public static JsonArray Write(JsonObject? previous, string now, params (string Type, KnativeCondition Condition)[] conditions)
    {
        var written = new JsonArray();
        foreach (var (type, c) in conditions.OrderBy(c => c.Type, StringComparer.Ordinal))
        {
            var before = previous is null ? null : Conditions.Get(previous, type);
            var condition = new JsonObject
            {
                ["type"] = type,
                ["status"] = c.Status,
                ["lastTransitionTime"] = before is not null && KubeJson.Str(before, "status") == c.Status ? KubeJson.Str(before, "lastTransitionTime") ?? now : now,
            };
            if (!string.IsNullOrEmpty(c.Reason))
            {
                condition["reason"] = c.Reason;
            }

            if (!string.IsNullOrEmpty(c.Message))
            {
                condition["message"] = c.Message;
            }

            written.Add(condition);
        }

        return written;
    }
}

/// <summary>
/// A Knative Service's spec.traffic resolved as Knative's route reconciler does: none means all to the latest ready
/// revision; a latestRevision entry follows latestReadyRevisionName; a named revision must exist and be ready. What
/// Knative's webhook would refuse at admission (percents not summing to 100, revisionName with latestRevision,
/// duplicate tags) is stored here, so it is reported instead, and the previous status.traffic stays.
/// </summary>
internal static class KnativeTraffic
{
    public const string InvalidReason = "TrafficTargetInvalid";
    public const string MissingReason = "RevisionMissing";

    /// <summary>The status.traffic to publish with RoutesReady True; or null, and why RoutesReady is False or Unknown.</summary>
    public static (JsonArray? Traffic, KnativeCondition Routes) Resolve(JsonObject service, string? latestReady, bool latestFailed, Func<string, JsonObject?> revision)
    {
        var name = KubeJson.Name(service);
        var ns = KubeJson.Str(service["metadata"], "namespace") ?? string.Empty;
        var spec = KubeJson.Objects(service["spec"]?["traffic"]).ToList();
        if (spec.Count == 0)
        {
            spec = [new JsonObject { ["latestRevision"] = true, ["percent"] = 100 }];
        }

        if (Invalid(spec) is { } problem)
        {
            return (null, KnativeCondition.Failed(InvalidReason, problem + " (Knative's webhook refuses this at admission; the previous traffic stays)"));
        }

        var resolved = new JsonArray();
        KnativeCondition? waiting = null;
        foreach (var entry in spec)
        {
            var named = NonEmpty(entry["revisionName"]);
            var target = named ?? latestReady;
            var unready = named is not null ? Unready(named, revision(named))
                : latestReady is not null ? (KnativeCondition?)null
                : latestFailed ? KnativeCondition.Failed(MissingReason, $"Configuration \"{name}\" does not have any ready Revision.")
                : KnativeCondition.Waiting(MissingReason, $"Configuration \"{name}\" is waiting for a Revision to become ready.");
            if (unready is { IsFailed: true } failed)
            {
                return (null, failed);
            }

            waiting ??= unready;
            resolved.Add(Resolved(entry, target ?? string.Empty, named is null, name, ns));
        }

        return waiting is { } w ? (null, w) : (resolved, KnativeCondition.Ok);
    }

    private static KnativeCondition? Unready(string name, JsonObject? revision) =>
        revision is null || KubeJson.IsDeleting(revision) ? KnativeCondition.Failed(MissingReason, $"Revision \"{name}\" referenced in traffic not found.")
        : KnativeServingController.ReadyStatus(revision) switch
        {
            "True" => null,
            "False" => KnativeCondition.Failed(MissingReason, $"Revision \"{name}\" failed to become ready."),
            _ => KnativeCondition.Waiting(MissingReason, $"Revision \"{name}\" is not yet ready."),
        };

    private static JsonObject Resolved(JsonObject entry, string revision, bool latest, string service, string ns)
    {
        var tag = NonEmpty(entry["tag"]);
        var resolved = new JsonObject();
        if (tag is not null)
        {
            resolved["tag"] = tag;
        }

        resolved["revisionName"] = revision;
        resolved["latestRevision"] = latest;
        if (KubeJson.Number(entry["percent"]) is { } percent)
        {
            resolved["percent"] = (long)percent;
        }

        if (tag is not null)
        {
            resolved["url"] = $"http://{tag}-{service}.{ns}.example.com";
        }

        return resolved;
    }

    // The webhook's checks (ValidateTrafficList and the Service's), with its messages.
    private static string? Invalid(List<JsonObject> spec)
    {
        var tags = new Dictionary<string, int>(StringComparer.Ordinal);
        long sum = 0;
        for (var i = 0; i < spec.Count; i++)
        {
            var entry = spec[i];
            var at = string.Create(CultureInfo.InvariantCulture, $"spec.traffic[{i}]");
            var named = NonEmpty(entry["revisionName"]);
            bool? latest = entry["latestRevision"] is JsonValue v && v.TryGetValue<bool>(out var b) ? b : null;
            if (latest == true && named is not null)
            {
                return $"may not set revisionName \"{named}\" when latestRevision is true: {at}.latestRevision";
            }

            if (latest == false && named is null)
            {
                return $"expected exactly one, got neither: {at}.latestRevision, {at}.revisionName";
            }

            if (NonEmpty(entry["configurationName"]) is not null)
            {
                return $"must not set the field(s): {at}.configurationName";
            }

            if (entry["percent"] is { } p)
            {
                if (p.GetValueKind() != JsonValueKind.Number || KubeJson.Number(p) is not { } percent || percent != Math.Floor(percent) || percent is < 0 or > 100)
                {
                    return $"expected 0 <= {p.ToJsonString()} <= 100: {at}.percent";
                }

                sum += (long)percent;
            }

            if (NonEmpty(entry["tag"]) is { } tag)
            {
                if (tags.TryGetValue(tag, out var first))
                {
                    return string.Create(CultureInfo.InvariantCulture, $"Multiple definitions for \"{tag}\": spec.traffic[{first}].tag, {at}.tag");
                }

                tags[tag] = i;
            }
        }

        return sum == 100 ? null : string.Create(CultureInfo.InvariantCulture, $"Traffic targets sum to {sum}, want 100: spec.traffic");
    }

    private static string? NonEmpty(JsonNode? node) => KubeJson.Str(node) is { Length: > 0 } s ? s : null;
}
