using Canary.Rollout.StateMachine;

namespace Canary.Rollout.Revisions;

/// <summary>Decides whether the observed revision differs from the checkpointed one (Flagger's HasTargetChanged + HaveDependenciesChanged).</summary>
public static class RevisionChange
{
    /// <summary>True when the pod template or any tracked config changed since the status was written.</summary>
    public static bool HasChanged(RolloutStatus status, Revision observed) =>
        HasSpecChanged(status, observed.SpecHash) || HaveConfigsChanged(status, observed.Configs);

    /// <summary>
    /// Flagger's rule: no checkpoint = changed; the primary's hash = not changed (reverting the target to what runs in primary
    /// starts nothing); otherwise changed when it differs from the last applied hash.
    /// </summary>
    public static bool HasSpecChanged(RolloutStatus status, string specHash)
    {
        ArgumentNullException.ThrowIfNull(status);
        if (status.HasNoRevision)
        {
            return true;
        }

        // Reverted to what the primary runs: nothing to analyse (Flagger's rule, asserted by its lifecycle test).
        if (specHash == status.LastPromotedSpec)
        {
            return false;
        }

        return specHash != status.LastAppliedSpec;
    }

    /// <summary>True when the set of tracked configs or any checksum differs from the checkpoint.</summary>
    public static bool HaveConfigsChanged(RolloutStatus status, IReadOnlyDictionary<string, string> configs)
    {
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(configs);
        var tracked = status.TrackedConfigs;
        if (tracked.Count != configs.Count)
        {
            return true;
        }

        return configs.Any(kv => !tracked.TryGetValue(kv.Key, out var checksum) || checksum != kv.Value);
    }
}
