using Canary.Rollout.StateMachine;

namespace Canary.Rollout.Events;

/// <summary>Records rollout events: a core/v1 Event on the Canary (reason Synced) and the event webhooks.</summary>
public interface IEventRecorder
{
    /// <summary>Records <paramref name="rolloutEvent"/> for <paramref name="canary"/>; delivery problems are logged, not thrown.</summary>
    Task RecordAsync(CanaryResource canary, RolloutEvent rolloutEvent, CancellationToken cancellationToken);
}

/// <summary>Sends alerts to the Canary's alert providers.</summary>
public interface IAlertSink
{
    /// <summary>Sends <paramref name="alert"/> for <paramref name="canary"/>; delivery problems are logged, not thrown.</summary>
    Task SendAsync(CanaryResource canary, RolloutAlert alert, CancellationToken cancellationToken);
}
