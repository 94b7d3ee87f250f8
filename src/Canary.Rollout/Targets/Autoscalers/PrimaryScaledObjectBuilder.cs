using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Canary.Providers.Naming;
using k8s;

namespace Canary.Rollout.Targets.Autoscalers;

/// <summary>
/// Builds the primary's KEDA ScaledObject <c>&lt;so&gt;-primary</c> from the target's (pure), as Flagger's
/// ScaledObjectReconciler: the scaling spec copied, <c>scaleTargetRef</c> pointed at the primary, the trigger queries
/// given for the primary.
/// </summary>
public static class PrimaryScaledObjectBuilder
{
    /// <summary>keda.sh group.</summary>
    public const string Group = "keda.sh";

    /// <summary>The ScaledObject version read and written.</summary>
    public const string Version = "v1alpha1";

    /// <summary>Plural resource name.</summary>
    public const string Plural = "scaledobjects";

    /// <summary>KEDA's annotation that holds a ScaledObject's target at a fixed replica count.</summary>
    public const string PausedReplicasAnnotation = "autoscaling.keda.sh/paused-replicas";

    // The spec fields KEDA scales by; status and anything the target's owner added elsewhere stay behind.
    private static readonly string[] CopiedFields =
        ["pollingInterval", "cooldownPeriod", "initialCooldownPeriod", "idleReplicaCount", "minReplicaCount", "maxReplicaCount", "advanced", "triggers", "fallback"];

    /// <summary>The primary ScaledObject for <paramref name="target"/>, scaling the Deployment <paramref name="primaryWorkload"/>.</summary>
    public static JsonObject Build(CanaryResource canary, JsonObject target, string primaryWorkload, CopiedMetadata? copied = null)
    {
        ArgumentNullException.ThrowIfNull(canary);
        ArgumentNullException.ThrowIfNull(target);
        var metadata = target["metadata"] as JsonObject ?? [];
        var sourceSpec = target["spec"] as JsonObject ?? [];
        var spec = new JsonObject();
        foreach (var field in CopiedFields)
        {
            if (sourceSpec[field] is { } value)
            {
                spec[field] = value.DeepClone();
            }
        }

        var targetRef = (sourceSpec["scaleTargetRef"] as JsonObject)?.DeepClone() as JsonObject ?? [];
        targetRef["name"] = primaryWorkload;
        spec["scaleTargetRef"] = targetRef;
        if (spec["advanced"]?["horizontalPodAutoscalerConfig"] is JsonObject hpaConfig && hpaConfig["name"] is JsonValue hpaName)
        {
            // Two ScaledObjects must not share the HPA KEDA creates for them.
            hpaConfig["name"] = hpaName.GetValue<string>() + CanaryNames.PrimarySuffix;
        }

        if (canary.Spec.AutoscalerRef?.PrimaryScalerReplicas is { } bounds)
        {
            spec["minReplicaCount"] = bounds.MinReplicas is { } min ? min : spec["minReplicaCount"]?.DeepClone();
            spec["maxReplicaCount"] = bounds.MaxReplicas is { } max ? max : spec["maxReplicaCount"]?.DeepClone();
        }

        // A query for a trigger that does not exist would be silently unused: say so on the Canary instead.
        var triggerNames = (spec["triggers"] as JsonArray ?? []).OfType<JsonObject>().Select(t => t["name"]?.GetValue<string>()).OfType<string>().ToHashSet(StringComparer.Ordinal);
        if (canary.Spec.AutoscalerRef?.PrimaryScalerQueries?.Keys.Where(k => !triggerNames.Contains(k)).Order(StringComparer.Ordinal).ToList() is { Count: > 0 } unknown)
        {
            throw new TargetException(
                $"autoscalerRef.primaryScalerQueries names no trigger of ScaledObject {metadata["name"]}: {string.Join(", ", unknown)} (triggers: {string.Join(", ", triggerNames.Order(StringComparer.Ordinal))})");
        }

        var targetName = canary.Spec.TargetRef?.Name ?? string.Empty;
        foreach (var trigger in (spec["triggers"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (trigger["metadata"] is not JsonObject triggerMetadata || triggerMetadata["query"] is not JsonValue query)
            {
                continue;
            }

            triggerMetadata["query"] = canary.Spec.AutoscalerRef?.PrimaryScalerQueries is { } queries
                ? queries.TryGetValue(trigger["name"]?.GetValue<string>() ?? string.Empty, out var given) ? given : query.GetValue<string>()
                : ForPrimary(query.GetValue<string>(), targetName);
        }

        copied ??= CopiedMetadata.All;
        var labels = copied.Labels(Strings(metadata["labels"]));
        var annotations = copied.Annotations(Strings(metadata["annotations"]));
        annotations.Remove(PausedReplicasAnnotation);
        return new JsonObject
        {
            ["apiVersion"] = $"{Group}/{Version}",
            ["kind"] = "ScaledObject",
            ["metadata"] = new JsonObject
            {
                ["name"] = metadata["name"]?.GetValue<string>() + CanaryNames.PrimarySuffix,
                ["namespace"] = metadata["namespace"]?.DeepClone(),
                ["labels"] = JsonSerializer.SerializeToNode(labels),
                ["annotations"] = JsonSerializer.SerializeToNode(annotations),
                ["ownerReferences"] = new JsonArray(JsonNode.Parse(KubernetesJson.Serialize(ObjectCopies.OwnerReference(canary)))),
            },
            ["spec"] = spec,
        };
    }

    /// <summary>
    /// A target's query rewritten for the primary when no <c>primaryScalerQueries</c> are given: <c>&lt;target&gt;-canary</c>
    /// and the bare target name become <c>&lt;target&gt;-primary</c> (a name already followed by <c>-primary</c> is kept).
    /// </summary>
    public static string ForPrimary(string query, string target)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (string.IsNullOrEmpty(target))
        {
            return query;
        }

        var name = Regex.Escape(target);
        return Regex.Replace(query, $@"(?<![\w-]){name}(-canary)?(?![\w-])", target + CanaryNames.PrimarySuffix, RegexOptions.None, TimeSpan.FromSeconds(1));
    }

    private static Dictionary<string, string> Strings(JsonNode? node) =>
        (node as JsonObject ?? []).Where(kv => kv.Value is JsonValue).ToDictionary(kv => kv.Key, kv => kv.Value!.ToString(), StringComparer.Ordinal);
}
