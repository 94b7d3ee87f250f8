using Canary.Api.V1Beta1;
using k8s.Models;

namespace Canary.Rollout.Status;

/// <summary>
/// The Canary's conditions: <c>Promoted</c> (Flagger's, derived from the phase), <c>PreRolloutPassed</c> (ours: the
/// revision whose pre-rollout hooks passed, so they run once per revision across restarts) and <c>Validated</c> (ours:
/// False with every field error while the spec is invalid).
/// </summary>
public static class RolloutConditions
{
    /// <summary>Flagger's condition type.</summary>
    public const string Promoted = "Promoted";

    /// <summary>Marker condition of the pre-rollout hooks.</summary>
    public const string PreRolloutPassed = "PreRolloutPassed";

    /// <summary>Whether the spec passed validation; set False on the first invalid generation, True once fixed.</summary>
    public const string Validated = "Validated";

    /// <summary>Reason of a False <see cref="Validated"/> condition.</summary>
    public const string InvalidSpec = "InvalidSpec";

    /// <summary>Reason of a True <see cref="Validated"/> condition.</summary>
    public const string ValidSpec = "ValidSpec";

    /// <summary>Status, reason and message of the Promoted condition for <paramref name="phase"/>, as Flagger sets it.</summary>
    public static (string Status, string Reason, string Message) PromotedFor(CanaryPhase phase, string targetKey) => PromotedFor(phase, targetKey, TargetKinds.DisplayName(targetKey));

    private static (string Status, string Reason, string Message) PromotedFor(CanaryPhase phase, string targetKey, string kind) => phase switch
    {
        CanaryPhase.Initialized => ("True", nameof(CanaryPhase.Initialized), $"{kind} initialization completed."),
        CanaryPhase.Waiting or CanaryPhase.WaitingPromotion => ("Unknown", phase.ToString(), "Waiting for approval."),
        CanaryPhase.Progressing => ("Unknown", nameof(CanaryPhase.Progressing), "New revision detected, progressing canary analysis."),
        CanaryPhase.Promoting => ("Unknown", nameof(CanaryPhase.Promoting), "Canary analysis completed, starting primary rolling update."),
        CanaryPhase.Finalising => ("Unknown", nameof(CanaryPhase.Finalising), "Canary analysis completed, routing all traffic to primary."),
        CanaryPhase.Succeeded => ("True", nameof(CanaryPhase.Succeeded), "Canary analysis completed successfully, promotion finished."),
        // A Knative revision is not scaled by the controller: its traffic share goes back to the primary revision.
        CanaryPhase.Failed when targetKey == TargetKinds.KnativeService => ("False", nameof(CanaryPhase.Failed), "Canary analysis failed, traffic back on the primary revision."),
        CanaryPhase.Failed => ("False", nameof(CanaryPhase.Failed), $"Canary analysis failed, {kind} scaled to zero."),
        // Flagger falls through to the Initializing message here; say what is happening instead.
        CanaryPhase.Terminating => ("Unknown", nameof(CanaryPhase.Terminating), $"Canary deleted, reverting traffic to the {kind}."),
        CanaryPhase.Terminated => ("Unknown", nameof(CanaryPhase.Terminated), $"Canary deleted, traffic reverted to the {kind}."),
        _ => ("Unknown", nameof(CanaryPhase.Initializing), $"New {kind} detected, starting initialization."),
    };

    /// <summary>Condition type: False while a traffic router or the target fails at run time (reason says which).</summary>
    public const string Reconciled = "Reconciled";

    /// <summary>Condition type: False while the judge has waited maxInconclusive checks in a row for evidence.</summary>
    public const string Conclusive = "Conclusive";

    /// <summary>The message of a False Conclusive condition (why the judge is still waiting), or null.</summary>
    public static string? ReadEvidenceShortfall(IEnumerable<V1Condition>? conditions) =>
        conditions?.FirstOrDefault(c => c.Type == Conclusive) is { Status: "False", Message: { } message } ? message : null;

    /// <summary>Message of the PreRolloutPassed condition for <paramref name="revision"/> (the revision is read back from it).</summary>
    public static string PreRolloutMessage(string revision) => $"Pre-rollout hooks passed for revision {revision}.";

    /// <summary>The revision recorded by a True PreRolloutPassed condition, or null.</summary>
    public static string? ReadPreRolloutRevision(IEnumerable<V1Condition>? conditions)
    {
        var condition = conditions?.FirstOrDefault(c => c.Type == PreRolloutPassed);
        if (condition is not { Status: "True", Message: { } message })
        {
            return null;
        }

        const string prefix = "Pre-rollout hooks passed for revision ";
        return message.StartsWith(prefix, StringComparison.Ordinal) && message.EndsWith('.') ? message[prefix.Length..^1] : null;
    }

    /// <summary>
    /// Conditions after applying (status, reason, message) to <paramref name="type"/>: replaced only when status or reason
    /// changed; lastTransitionTime kept while the status is unchanged (Flagger's rule).
    /// </summary>
    public static IList<V1Condition> Upsert(
        IList<V1Condition>? conditions, string type, string status, string reason, string message, DateTime now, long? observedGeneration)
    {
        var result = (conditions ?? []).Where(c => c.Type != type).ToList();
        var existing = conditions?.FirstOrDefault(c => c.Type == type);
        if (existing is not null && existing.Status == status && existing.Reason == reason && existing.Message == message
            && existing.ObservedGeneration == observedGeneration)
        {
            result.Insert(Math.Min(conditions!.IndexOf(existing), result.Count), existing);
            return result;
        }

        var transition = existing is not null && existing.Status == status ? existing.LastTransitionTime : now;
        var updated = new V1Condition
        {
            Type = type,
            Status = status,
            Reason = reason,
            Message = message,
            LastTransitionTime = transition,
            ObservedGeneration = observedGeneration,
        };
        var index = existing is null ? result.Count : Math.Min(conditions!.IndexOf(existing), result.Count);
        result.Insert(index, updated);
        return result;
    }
}
