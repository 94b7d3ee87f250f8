using Canary.Api.Defaults;
using Canary.Api.V1Beta1;

namespace Canary.Rollout.StateMachine;

/// <summary>The confirm-promotion gate, Promote, the traffic shift back to the primary, finalising, and skipAnalysis.</summary>
internal static class PromotionStep
{
    /// <summary>confirm-promotion then Promote.</summary>
    public static Decision Gate(TickContext tick) => WithApproval(tick, () => Promote(tick));

    /// <summary>Runs <paramref name="approved"/> when the confirm-promotion gates pass; otherwise WaitingPromotion.</summary>
    public static Decision WithApproval(TickContext tick, Func<Decision> approved)
    {
        if (tick.Answer(Question.ConfirmPromotion) is not { } gate)
        {
            return TickContext.Ask(Question.ConfirmPromotion);
        }

        if (gate.Verdict != CheckVerdict.Passed)
        {
            tick.Warning($"Halt {tick.Input.CanaryRef} advancement waiting for promotion approval {gate.Decisive?.Name}", tick.Phase);
            if (tick.Phase != CanaryPhase.WaitingPromotion && !gate.MuteAlert)
            {
                tick.Alert(AlertSeverity.Warn, "Canary promotion is waiting for approval.");
            }

            // Weights and iterations are kept (Flagger zeroes the status weight while the routes stay put).
            tick.Status = tick.Status with { Phase = CanaryPhase.WaitingPromotion };
            return tick.Done();
        }

        tick.Passed(gate, "Confirm-promotion", CanaryPhase.Progressing);
        return approved();
    }

    /// <summary>Copy the canary's template to the primary and wait for its rollout in Promoting.</summary>
    public static TickOutcome Promote(TickContext tick)
    {
        var input = tick.Input;
        tick.Normal($"Copying {input.TargetRef} template spec to {input.Spec.TargetName}-primary.{input.Namespace}", CanaryPhase.Progressing);
        tick.Act(new PromoteAction());
        tick.Status = tick.Status with { Phase = CanaryPhase.Promoting };
        return tick.Done();
    }

    /// <summary>Promoting: once the primary rolled out, move traffic back to it (at once or by stepWeightPromotion).</summary>
    public static TickOutcome Promoting(TickContext tick)
    {
        var input = tick.Input;
        var primary = tick.Facts.PrimaryReadiness;
        if (primary.State == ReadinessState.Waiting)
        {
            tick.Warning(primary.Message, CanaryPhase.Promoting);
            return tick.Done(tick.ReadinessPoll);
        }

        if (primary.State == ReadinessState.DeadlineExceeded)
        {
            return FailedPromotion(tick, primary.Message);
        }

        tick.Act(new ReconcilePrimaryScalerAction());
        var plan = tick.Plan;
        if (!plan.RoutesTraffic)
        {
            // The apex Service always selects the primary pods, which now run the new version.
            tick.Status = tick.Status with { Phase = CanaryPhase.Finalising, CanaryWeight = 0 };
            return tick.Done();
        }

        var canaryWeight = tick.Status.CanaryWeight;
        if (plan.StepWeightPromotion == 0 || plan.Strategy != DeploymentStrategy.Canary || canaryWeight == 0)
        {
            tick.Normal("Routing all traffic to primary", CanaryPhase.Promoting);
            tick.SetRoutes(100, 0);
            tick.Status = tick.Status with { Phase = CanaryPhase.Finalising, CanaryWeight = 0 };
            return tick.Done();
        }

        var canary = Math.Max(0, canaryWeight - plan.StepWeightPromotion);
        var primaryWeight = 100 - canary;
        tick.SetRoutes(primaryWeight, canary);
        tick.Normal($"Advance {input.CanaryRef} primary weight {primaryWeight}", CanaryPhase.Promoting);
        tick.Status = canary == 0
            ? tick.Status with { Phase = CanaryPhase.Finalising, CanaryWeight = 0 }
            : tick.Status with { CanaryWeight = canary };
        return tick.Done();
    }

    /// <summary>Finalising: scale the target to zero and record the promotion.</summary>
    public static TickOutcome Finalising(TickContext tick)
    {
        tick.Act(new ScaleTargetToZeroAction());
        tick.Status = Succeeded(tick.Status);
        tick.PostRollout(CanaryPhase.Succeeded);
        tick.Normal(tick.Input.TargetKind == TargetKinds.KnativeService
            ? $"Promotion completed! The latest revision of {tick.Input.TargetRef} is the primary"
            : $"Promotion completed! Scaling down {tick.Input.TargetRef}", CanaryPhase.Succeeded);
        tick.Alert(AlertSeverity.Info, "Canary analysis completed successfully, promotion finished.");
        return tick.Idle();
    }

    /// <summary>skipAnalysis: promote at once (Flagger does not wait for the primary rollout here either).</summary>
    public static TickOutcome Skip(TickContext tick)
    {
        var input = tick.Input;
        tick.SetRoutes(100, 0);
        tick.Normal($"Copying {input.TargetRef} template spec to {input.Spec.TargetName}-primary.{input.Namespace}", CanaryPhase.Progressing);
        tick.Act(new PromoteAction());
        tick.Act(new ReconcilePrimaryScalerAction());
        tick.Act(new ScaleTargetToZeroAction());
        tick.Status = Succeeded(tick.Status);
        tick.PostRollout(CanaryPhase.Succeeded);
        tick.Normal($"Promotion completed! Canary analysis was skipped for {input.TargetRef}", CanaryPhase.Succeeded);
        tick.Alert(AlertSeverity.Info, "Canary analysis was skipped, promotion finished.");
        return tick.Idle();
    }

    /// <summary>The primary failed to roll out: keep serving from the (healthy) canary and fail (Flagger 1.44, #1898).</summary>
    private static TickOutcome FailedPromotion(TickContext tick, string reason)
    {
        tick.Warning($"Promotion of {tick.Input.TargetRef} failed, primary not ready: {reason}", CanaryPhase.Promoting);
        tick.Alert(AlertSeverity.Error, $"Promotion failed, primary not ready: {reason}");
        tick.SetRoutes(0, 100);
        tick.Status = tick.Status with { Phase = CanaryPhase.Failed, CanaryWeight = 100, FailedChecks = 0, Iterations = 0 };
        tick.PostRollout(CanaryPhase.Failed);
        return tick.Idle();
    }

    private static RolloutStatus Succeeded(RolloutStatus status) => status with
    {
        Phase = CanaryPhase.Succeeded,
        CanaryWeight = 0,
        Iterations = 0,
        LastPromotedSpec = status.LastAppliedSpec,
    };
}
