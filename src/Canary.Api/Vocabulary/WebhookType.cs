namespace Canary.Api.Vocabulary;

/// <summary>When a webhook runs in the rollout, and therefore what its answer means (Flagger's hook types).</summary>
public enum WebhookType
{
    /// <summary>Gate before a new revision is scaled up; not-2xx keeps the canary Waiting.</summary>
    ConfirmRollout,

    /// <summary>Check before the first traffic shift; a failure counts a failed check.</summary>
    PreRollout,

    /// <summary>Check on every analysis tick (also the type of hooks with an empty type); a failure counts a failed check.</summary>
    Rollout,

    /// <summary>Gate before each weight increase; not-2xx skips the step this tick.</summary>
    ConfirmTrafficIncrease,

    /// <summary>Gate before promotion; not-2xx moves the canary to WaitingPromotion.</summary>
    ConfirmPromotion,

    /// <summary>Notification after the rollout succeeded or failed; a failure is only reported.</summary>
    PostRollout,

    /// <summary>Manual abort: 2xx means "roll back now".</summary>
    Rollback,

    /// <summary>Receives every event emitted for the canary; a failure is only reported.</summary>
    Event,
}
