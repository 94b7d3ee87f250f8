using Canary.Api.V1Beta1;
using Canary.Webhooks.Hooks;

namespace Canary.Rollout.StateMachine;

/// <summary>A side effect decided by the state machine; the engine executes them in order, each idempotent.</summary>
public abstract record RolloutAction;

/// <summary>Create/update the provider's routing objects and the generated Services (apex selects the primary).</summary>
public sealed record ReconcileRouterAction : RolloutAction;

/// <summary>Write a traffic split.</summary>
/// <param name="PrimaryWeight">Primary percentage.</param>
/// <param name="CanaryWeight">Canary percentage.</param>
/// <param name="Mirrored">Mirror primary traffic to the canary.</param>
public sealed record SetRoutesAction(int PrimaryWeight, int CanaryWeight, bool Mirrored) : RolloutAction
{
    /// <summary>Session affinity cookies to build the routes with (null when the Canary has no sessionAffinity).</summary>
    public SessionAffinityCookies? Cookies { get; init; }
}

/// <summary>Scale the target (canary) Deployment to zero replicas.</summary>
public sealed record ScaleTargetToZeroAction : RolloutAction;

/// <summary>Scale the target up from zero (its replicas, HPA minimum or the primary's count).</summary>
public sealed record ScaleTargetUpAction : RolloutAction;

/// <summary>Copy the target's pod template (and configs) onto the primary.</summary>
public sealed record PromoteAction : RolloutAction;

/// <summary>Push the target autoscaler's settings to the primary's autoscaler.</summary>
public sealed record ReconcilePrimaryScalerAction : RolloutAction;

/// <summary>Run notification hooks (post-rollout) with <paramref name="Phase"/> in the payload; failures are only reported.</summary>
/// <param name="Type">Hook type.</param>
/// <param name="Phase">Phase sent in the payload.</param>
public sealed record RunHooksAction(WebhookType Type, CanaryPhase Phase) : RolloutAction;

/// <summary>Record a Kubernetes Event on the Canary (and send it to event hooks).</summary>
/// <param name="Event">The event.</param>
public sealed record EmitEventAction(RolloutEvent Event) : RolloutAction;

/// <summary>Send an alert to the Canary's alert providers.</summary>
/// <param name="Alert">The alert.</param>
public sealed record SendAlertAction(RolloutAlert Alert) : RolloutAction;

/// <summary>Add the engine's finalizer before anything is scaled, so deletion can give the traffic back.</summary>
public sealed record AddFinalizerAction : RolloutAction;

/// <summary>Release the finalizer; the engine does it after the status checkpoint, since the Canary may go at once.</summary>
public sealed record RemoveFinalizerAction : RolloutAction;

/// <summary>Write one status condition, leaving the rollout fields as the last checkpoint left them.</summary>
/// <param name="Type">Condition type.</param>
/// <param name="Status">True, False or Unknown.</param>
/// <param name="Reason">CamelCase reason.</param>
/// <param name="Message">Human-readable detail.</param>
public sealed record SetConditionAction(string Type, string Status, string Reason, string Message) : RolloutAction;

/// <summary>Deletion: route the apex Service back to the user's workload.</summary>
public sealed record FinalizeServicesAction : RolloutAction;

/// <summary>Deletion: revert the provider's routing objects; a failure is reported, never blocking deletion.</summary>
public sealed record FinalizeRouterAction : RolloutAction;
