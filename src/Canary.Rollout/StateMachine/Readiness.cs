namespace Canary.Rollout.StateMachine;

/// <summary>Whether a workload is ready to serve, still rolling out, or stuck past its progress deadline.</summary>
public enum ReadinessState
{
    /// <summary>Rolled out and available.</summary>
    Ready,

    /// <summary>Still rolling out; check again later (Flagger's retriable error).</summary>
    Waiting,

    /// <summary>Not ready beyond the progress deadline (Flagger's non-retriable error).</summary>
    DeadlineExceeded,
}

/// <summary>Readiness of the primary or the canary workload, with the message shown in events when not ready.</summary>
/// <param name="State">Ready, waiting or failed.</param>
/// <param name="Message">Flagger-worded reason, e.g. <c>podinfo-primary.default not ready: waiting for rollout to finish: ...</c>.</param>
public readonly record struct Readiness(ReadinessState State, string Message)
{
    /// <summary>A ready workload.</summary>
    public static Readiness Ready { get; } = new(ReadinessState.Ready, string.Empty);

    /// <summary>True when ready.</summary>
    public bool IsReady => State == ReadinessState.Ready;

    /// <summary>A workload still rolling out.</summary>
    public static Readiness Waiting(string message) => new(ReadinessState.Waiting, message);

    /// <summary>A workload past its progress deadline.</summary>
    public static Readiness Failed(string message) => new(ReadinessState.DeadlineExceeded, message);
}
