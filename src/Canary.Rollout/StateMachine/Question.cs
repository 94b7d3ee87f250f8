namespace Canary.Rollout.StateMachine;

/// <summary>
/// An input the decision needs from the outside world mid-tick (a webhook gate, the metrics). The decider asks only for
/// what the current path needs, so no hook is called that Flagger would not call.
/// </summary>
public enum Question
{
    /// <summary>Are the metric providers reachable? (informational, during initialization)</summary>
    MetricProviders,

    /// <summary>confirm-rollout gates.</summary>
    ConfirmRollout,

    /// <summary>pre-rollout checks.</summary>
    PreRollout,

    /// <summary>rollout checks (every analysis tick, before the metrics).</summary>
    RolloutHooks,

    /// <summary>Metric checks of the analysis.</summary>
    Metrics,

    /// <summary>confirm-traffic-increase gates.</summary>
    ConfirmTrafficIncrease,

    /// <summary>confirm-promotion gates.</summary>
    ConfirmPromotion,

    /// <summary>rollback hooks (2xx = abort).</summary>
    RollbackHooks,

    /// <summary>Deletion: scale the user's workload back up; Passed once it is ready, Wait while it is not.</summary>
    RevertTarget,
}
