using Canary.Api.Defaults;
using Canary.Api.V1Beta1;
using Canary.Providers.Routing;
using Canary.Rollout.Events;
using Canary.Rollout.StateMachine;
using Canary.Rollout.Status;
using Canary.Rollout.Targets;

namespace Canary.Rollout.Engine;

/// <summary>
/// revertOnDeletion: Terminating → scale the user's Deployment back up and wait until it is ready → route the apex Service to
/// it → Terminated → remove the finalizer (garbage collection then removes the primary and generated objects).
/// </summary>
internal sealed class DeletionHandler(
    ITarget target, IServiceRouter services, ITrafficRouter? router, string? routerError, IEventRecorder events, IStatusWriter statusWriter, FinalizerWriter finalizers, TimeProvider timeProvider)
{
    public async Task<TimeSpan?> RunAsync(CanaryResource canary, EffectiveCanary spec, TimeSpan poll, CancellationToken cancellationToken)
    {
        if (!FinalizerWriter.Has(canary))
        {
            return null;
        }

        if (!spec.RevertOnDeletion)
        {
            await finalizers.RemoveAsync(canary, cancellationToken).ConfigureAwait(false);
            return null;
        }

        var name = $"{canary.Metadata.Name}.{canary.Metadata.NamespaceProperty}";
        if (canary.Status?.Phase != CanaryPhase.Terminating)
        {
            await events.RecordAsync(canary, new RolloutEvent(EventSeverity.Normal, $"Terminating canary {name}", CanaryPhase.Terminating), cancellationToken).ConfigureAwait(false);
            canary = await WritePhaseAsync(canary, CanaryPhase.Terminating, cancellationToken).ConfigureAwait(false);
        }

        Readiness readiness;
        TargetSnapshot? snapshot = null;
        try
        {
            snapshot = await target.ObserveAsync(canary, cancellationToken).ConfigureAwait(false);
            readiness = await target.RevertAsync(canary, cancellationToken).ConfigureAwait(false);
        }
        catch (TargetException)
        {
            // The target is gone: there is nothing to give the traffic back to; let the Canary go.
            readiness = Readiness.Ready;
        }

        if (!readiness.IsReady)
        {
            await events.RecordAsync(canary, new RolloutEvent(EventSeverity.Warning, readiness.Message, CanaryPhase.Terminating), cancellationToken).ConfigureAwait(false);
            return poll;
        }

        if (snapshot?.Selector is { } selector)
        {
            await services.FinalizeAsync(canary, selector, cancellationToken).ConfigureAwait(false);
        }

        await FinalizeRouterAsync(canary, name, cancellationToken).ConfigureAwait(false);
        canary = await WritePhaseAsync(canary, CanaryPhase.Terminated, cancellationToken).ConfigureAwait(false);
        await events.RecordAsync(canary, new RolloutEvent(EventSeverity.Normal, $"Terminated canary {name}", CanaryPhase.Terminated), cancellationToken).ConfigureAwait(false);
        await finalizers.RemoveAsync(canary, cancellationToken).ConfigureAwait(false);
        return null;
    }

    // A broken provider never blocks deletion: say what could not be reverted, then let the Canary go.
    private async Task FinalizeRouterAsync(CanaryResource canary, string name, CancellationToken cancellationToken)
    {
        string? failure = routerError;
        if (router is not null)
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
            var message = $"Could not revert the routing of {name}: {failure}; the finalizer is released anyway, check the provider's objects by hand";
            await events.RecordAsync(canary, new RolloutEvent(EventSeverity.Warning, message, CanaryPhase.Terminating), cancellationToken).ConfigureAwait(false);
        }
    }

    private Task<CanaryResource> WritePhaseAsync(CanaryResource canary, CanaryPhase phase, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        return statusWriter.WriteAsync(
            canary,
            latest => StatusMapper.Apply(latest.Status, RolloutStatus.From(latest.Status) with { Phase = phase }, now, latest.Metadata.Generation, target.Kind),
            cancellationToken);
    }
}
