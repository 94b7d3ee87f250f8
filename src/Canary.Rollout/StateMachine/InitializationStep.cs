using Canary.Api.V1Beta1;

namespace Canary.Rollout.StateMachine;

/// <summary>Initializing: wait for the primary, point the apex Service at it, scale the target to zero, checkpoint the revision.</summary>
internal static class InitializationStep
{
    public static Decision Run(TickContext tick)
    {
        // Once per initialization, on its first tick (Flagger re-checks and re-announces on every Initializing tick
        // while the primary rolls out: the same event twice or more).
        if (!tick.Input.Spec.SkipAnalysis && tick.Phase == CanaryPhase.None)
        {
            if (tick.Answer(Question.MetricProviders) is not { } providers)
            {
                return TickContext.Ask(Question.MetricProviders);
            }

            if (providers.Verdict == CheckVerdict.Passed)
            {
                tick.Normal("all the metrics providers are available!", CanaryPhase.Initializing);
            }
            else
            {
                tick.Warning($"Error checking metric providers: {string.Join("; ", providers.Messages)}", CanaryPhase.Initializing);
            }
        }

        tick.Status = tick.Status with { Phase = CanaryPhase.Initializing };
        var primary = tick.Facts.PrimaryReadiness;
        if (!primary.IsReady)
        {
            // Unlike Flagger, also with skipAnalysis: the target keeps serving until the primary can (no takeover gap, #515).
            tick.Warning(primary.Message, CanaryPhase.Initializing);
            return tick.Done(tick.ReadinessPoll);
        }

        var revision = tick.Facts.Revision;
        tick.Act(new ReconcileRouterAction());
        tick.Act(new ScaleTargetToZeroAction());
        tick.Status = new RolloutStatus
        {
            Phase = CanaryPhase.Initialized,
            LastAppliedSpec = revision.SpecHash,
            LastPromotedSpec = revision.SpecHash,
            TrackedConfigs = revision.Configs,
            SessionAffinityCookie = tick.Status.SessionAffinityCookie,
            PrimarySessionAffinityCookie = tick.Status.PrimarySessionAffinityCookie,
            PreviousSessionAffinityCookie = tick.Status.PreviousSessionAffinityCookie,
        };
        tick.Normal($"Initialization done! {tick.Input.CanaryRef}", CanaryPhase.Initialized);
        tick.Alert(AlertSeverity.Info, $"New {TargetKinds.DisplayName(tick.Input.TargetKind)} detected, initialization completed.", fields: true);
        return tick.Idle();
    }
}
