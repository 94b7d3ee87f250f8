using Canary.Api.V1Beta1;

namespace Canary.Rollout.StateMachine;

/// <summary>Kubernetes event type.</summary>
public enum EventSeverity
{
    /// <summary>Informational (Normal).</summary>
    Normal,

    /// <summary>Warning or error (Warning).</summary>
    Warning,
}

/// <summary>An event about the rollout, with the phase reported to event hooks.</summary>
/// <param name="Severity">Normal or Warning.</param>
/// <param name="Message">Flagger-worded message.</param>
/// <param name="Phase">Phase the event belongs to (sent to event webhooks).</param>
public sealed record RolloutEvent(EventSeverity Severity, string Message, CanaryPhase Phase);

/// <summary>An alert for the Canary's alert providers.</summary>
/// <param name="Severity">info, warn or error.</param>
/// <param name="Message">Flagger's alert text.</param>
/// <param name="IncludeFields">Attach the Target / threshold / deadline / routing fields.</param>
public sealed record RolloutAlert(AlertSeverity Severity, string Message, bool IncludeFields = false);
