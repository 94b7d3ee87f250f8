namespace Canary.Webhooks.Hooks;

/// <summary>What the hooks of one type answered, in the terms the state machine acts on.</summary>
public enum WebhookVerdict
{
    /// <summary>Every hook answered 2xx (or there were none); for rollback hooks: nobody asked to roll back.</summary>
    Passed,

    /// <summary>A check hook failed: pre-rollout/rollout count a failed check, post-rollout and event only report it.</summary>
    Failed,

    /// <summary>A gate (confirm-rollout, confirm-traffic-increase, confirm-promotion) did not approve: halt, no failed check.</summary>
    Wait,

    /// <summary>A rollback hook answered 2xx: roll back now.</summary>
    Rollback,
}
