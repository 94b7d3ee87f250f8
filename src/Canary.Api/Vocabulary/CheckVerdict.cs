namespace Canary.Api.Vocabulary;

/// <summary>What a set of checks answered, in the terms the state machine acts on (webhooks, metrics and gates alike).</summary>
public enum CheckVerdict
{
    /// <summary>Everything passed (or there was nothing to check); for rollback hooks: nobody asked to roll back.</summary>
    Passed,

    /// <summary>A check failed: pre-rollout/rollout hooks and metrics count a failed check; post-rollout and event hooks only report it.</summary>
    Failed,

    /// <summary>A gate (confirm-rollout, confirm-traffic-increase, confirm-promotion) withheld approval: halt without a failed check.</summary>
    Wait,

    /// <summary>A rollback hook answered 2xx: roll back now.</summary>
    Rollback,

    /// <summary>Metrics (judge): not enough evidence yet; hold the weight without a failed check.</summary>
    Inconclusive,
}
