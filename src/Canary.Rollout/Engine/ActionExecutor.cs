using Canary.Api.Serialization;
using Canary.Api.V1Beta1;
using Canary.Providers.Routing;
using Canary.Rollout.Events;
using Canary.Rollout.StateMachine;
using Canary.Rollout.Targets;

namespace Canary.Rollout.Engine;

/// <summary>Executes the decided actions in order against the target, the router, hooks, events and alerts.</summary>
internal sealed class ActionExecutor(
    ITarget target, TargetSnapshot snapshot, IServiceRouter services, ITrafficRouter router, IHookGate hooks, IEventRecorder events, IAlertSink alerts)
{
    public async Task ExecuteAsync(CanaryResource canary, IEnumerable<RolloutAction> actions, CancellationToken cancellationToken)
    {
        foreach (var action in actions)
        {
            switch (action)
            {
                case ReconcileRouterAction:
                    // Apex Service first (it must select the primary), then the provider's routing objects.
                    await services.ReconcileAsync(canary, snapshot, cancellationToken).ConfigureAwait(false);
                    await router.ReconcileAsync(canary, cancellationToken).ConfigureAwait(false);
                    break;
                case SetRoutesAction routes:
                    await router.SetRoutesAsync(WithCookies(canary, routes.Cookies), routes.PrimaryWeight, routes.CanaryWeight, routes.Mirrored, cancellationToken).ConfigureAwait(false);
                    break;
                case ScaleTargetToZeroAction:
                    await target.ScaleToZeroAsync(canary, cancellationToken).ConfigureAwait(false);
                    break;
                case ScaleTargetUpAction:
                    await target.ScaleFromZeroAsync(canary, cancellationToken).ConfigureAwait(false);
                    break;
                case PromoteAction:
                    await target.PromoteAsync(canary, cancellationToken).ConfigureAwait(false);
                    break;
                case ReconcilePrimaryScalerAction:
                    await target.ReconcilePrimaryScalerAsync(canary, cancellationToken).ConfigureAwait(false);
                    break;
                case RunHooksAction run:
                    await RunNotificationHooksAsync(canary, run, cancellationToken).ConfigureAwait(false);
                    break;
                case EmitEventAction emit:
                    await events.RecordAsync(canary, emit.Event, cancellationToken).ConfigureAwait(false);
                    break;
                case SendAlertAction alert:
                    await alerts.SendAsync(canary, alert.Alert, cancellationToken).ConfigureAwait(false);
                    break;
                default:
                    throw new InvalidOperationException($"unknown rollout action {action.GetType().Name}");
            }
        }
    }

    // The routers read the cookies from the status; the decided ones are not stored yet (the checkpoint comes last), so the
    // router gets a copy of the Canary whose status carries them. The engine's copy stays as read for NeedsWrite.
    private static CanaryResource WithCookies(CanaryResource canary, SessionAffinityCookies? cookies)
    {
        if (cookies is null)
        {
            return canary;
        }

        var status = canary.Status is { } current
            ? System.Text.Json.JsonSerializer.Deserialize<CanaryStatus>(System.Text.Json.JsonSerializer.Serialize(current, CanaryJson.Options), CanaryJson.Options)!
            : new CanaryStatus();
        status.SessionAffinityCookie = cookies.Canary;
        status.PrimarySessionAffinityCookie = cookies.Primary;
        status.PreviousSessionAffinityCookie = cookies.Previous;
        return new CanaryResource { ApiVersion = canary.ApiVersion, Kind = canary.Kind, Metadata = canary.Metadata, Spec = canary.Spec, Status = status };
    }

    // post-rollout hooks only report: "Post-rollout check X passed" / "Post-rollout hook X failed <reason>".
    private async Task RunNotificationHooksAsync(CanaryResource canary, RunHooksAction run, CancellationToken cancellationToken)
    {
        var outcome = await hooks.RunAsync(canary, run.Type, run.Phase, cancellationToken).ConfigureAwait(false);
        foreach (var call in outcome.Calls)
        {
            var rolloutEvent = call.Passed
                ? new RolloutEvent(EventSeverity.Normal, $"Post-rollout check {call.Name} passed", run.Phase)
                : new RolloutEvent(EventSeverity.Warning, $"Post-rollout hook {call.Name} failed {call.Reason}", run.Phase);
            await events.RecordAsync(canary, rolloutEvent, cancellationToken).ConfigureAwait(false);
        }
    }
}
