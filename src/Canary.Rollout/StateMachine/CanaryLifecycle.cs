namespace Canary.Rollout.StateMachine;

/// <summary>
/// Facts about the Canary object itself, read before the rollout proper: is it being deleted, does it carry the
/// finalizer, is its spec valid and was that already reported. The decider turns them into deletion, rejection,
/// suspension and finalizer actions.
/// </summary>
public sealed record CanaryLifecycle
{
    /// <summary>A valid, live Canary that already carries the finalizer: the rollout proper decides alone.</summary>
    public static CanaryLifecycle Steady { get; } = new();

    /// <summary>The Canary has a deletionTimestamp.</summary>
    public bool Deleting { get; init; }

    /// <summary>The Canary carries <c>finalizer.canary.dev</c>.</summary>
    public bool HasFinalizer { get; init; } = true;

    /// <summary>Validation errors (field paths and messages), or null for a valid spec.</summary>
    public string? InvalidSpec { get; init; }

    /// <summary>The message of a <c>Validated=False</c> condition already written for this generation, if any.</summary>
    public string? ReportedInvalidSpec { get; init; }

    /// <summary>A <c>Validated</c> condition exists and is not True (a fixed spec turns it True).</summary>
    public bool ValidatedConditionStale { get; init; }

    /// <summary>Deletion: the target cannot be read (gone, or a kind nothing implements): nothing to give traffic back to.</summary>
    public bool TargetMissing { get; init; }

    /// <summary>How soon to look again while the user's workload scales back up during deletion.</summary>
    public TimeSpan DeletionPoll { get; init; } = TimeSpan.FromSeconds(5);
}
