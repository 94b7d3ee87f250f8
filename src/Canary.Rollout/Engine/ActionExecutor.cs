using Canary.Api.Serialization;
using Canary.Api.V1Beta1;
using Canary.Providers.Routing;
using Canary.Rollout.Events;
using Canary.Rollout.StateMachine;
using Canary.Rollout.Targets;

namespace Canary.Rollout.Engine;

/// <summary>
/// Executes one decided action against the target, the router, hooks, events and alerts. What the tick did not resolve
/// (no target for an invalid spec, no router for a broken provider) is null in <see cref="TickResources"/>.
/// </summary>
internal sealed class ActionExecutor(TickResources resources, IHookGate hooks, IEventRecorder events, IAlertSink alerts)
{
    private ITarget Target => resources.Target ?? throw new InvalidOperationException("this tick resolved no target");

    private TargetSnapshot Snapshot => resources.Snapshot ?? throw new InvalidOperationException("this tick observed no target");

    private ITrafficRouter Router => resources.Router ?? throw new TrafficRouterException(resources.RouterError ?? "no traffic router");

    public async Task ExecuteAsync(CanaryResource canary, RolloutAction action, CancellationToken cancellationToken)
    {
        switch (action)
        {
            case ReconcileRouterAction:
                // Apex Service first (it must select the primary), then the provider's routing objects.
                await resources.Services.ReconcileAsync(canary, Snapshot, cancellationToken).ConfigureAwait(false);
                await Router.ReconcileAsync(canary, cancellationToken).ConfigureAwait(false);
                break;
            case SetRoutesAction routes:
                await Router.SetRoutesAsync(WithCookies(canary, routes.Cookies), routes.PrimaryWeight, routes.CanaryWeight, routes.Mirrored, cancellationToken).ConfigureAwait(false);
                break;
            case ScaleTargetToZeroAction:
                await Target.ScaleToZeroAsync(canary, cancellationToken).ConfigureAwait(false);
                break;
            case ScaleTargetUpAction:
                await Target.ScaleFromZeroAsync(canary, cancellationToken).ConfigureAwait(false);
                break;
            case PromoteAction:
                await Target.PromoteAsync(canary, cancellationToken).ConfigureAwait(false);
                break;
            case ReconcilePrimaryScalerAction:
                await Target.ReconcilePrimaryScalerAsync(canary, cancellationToken).ConfigureAwait(false);
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
            case FinalizeServicesAction:
                if (resources.Snapshot?.Selector is { } selector)
                {
                    await resources.Services.FinalizeAsync(canary, selector, cancellationToken).ConfigureAwait(false);
                }

                break;
            case FinalizeRouterAction:
                await FinalizeRouterAsync(canary, cancellationToken).ConfigureAwait(false);
                break;
            default:
                throw new InvalidOperationException($"unknown rollout action {action.GetType().Name}");
        }
    }

    // A broken provider never blocks deletion: say what could not be reverted, then let the Canary go.
    private async Task FinalizeRouterAsync(CanaryResource canary, CancellationToken cancellationToken)
    {
        var failure = resources.RouterError;
        if (resources.Router is { } router)
        {
            try
            {
                await router.FinalizeAsync(canary, cancellationToken).ConfigureAwait(false);
            }
            catch (TrafficRouterException e)
            {
                failure = e.Message;
            }
        }

        if (failure is not null)
        {
            var name = $"{canary.Metadata.Name}.{canary.Metadata.NamespaceProperty}";
            var message = $"Could not revert the routing of {name}: {failure}; the finalizer is released anyway, check the provider's objects by hand";
            await events.RecordAsync(canary, new RolloutEvent(EventSeverity.Warning, message, CanaryPhase.Terminating), cancellationToken).ConfigureAwait(false);
        }
    }

    // The router reads the cookies from the status; the decider's are newer than the stored ones until the checkpoint.
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
