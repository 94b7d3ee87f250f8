using Canary.Api.Defaults;
using Canary.Api.V1Beta1;

namespace Canary.Rollout.StateMachine;

/// <summary>One step of the strategy after the checks passed: a weight increase, an iteration, or the promotion gate.</summary>
internal static class StrategyStep
{
    public static Decision Run(TickContext tick) => tick.Plan.Strategy switch
    {
        DeploymentStrategy.ABTesting => ABTesting(tick),
        DeploymentStrategy.BlueGreen => BlueGreen(tick),
        _ => Canary(tick),
    };

    private static Decision Canary(TickContext tick)
    {
        var weight = tick.Status.CanaryWeight;
        if (tick.Plan.NextWeight(weight) is not { } next)
        {
            return PromotionStep.Gate(tick);
        }

        var mirrored = tick.MirrorStepDone;
        if (tick.Plan.Mirror && weight == 0 && !mirrored)
        {
            // Mirroring pre-step: shadow traffic first, weights move next tick (checkpoint = the router's routes).
            tick.SetRoutes(100, 0, mirrored: true);
            return tick.Done();
        }

        if (!mirrored)
        {
            if (tick.Answer(Question.ConfirmTrafficIncrease) is not { } gate)
            {
                return TickContext.Ask(Question.ConfirmTrafficIncrease);
            }

            if (gate.Verdict != CheckVerdict.Passed)
            {
                tick.Warning($"Halt {tick.Input.CanaryRef} advancement waiting for traffic increase approval {gate.Decisive?.Name}", tick.Phase);
                if (!gate.MuteAlert)
                {
                    tick.Alert(AlertSeverity.Warn, "Canary traffic increase is waiting for approval.");
                }

                return tick.Done();
            }

            tick.Passed(gate, "Confirm-traffic-increase", CanaryPhase.Progressing);
        }

        tick.SetRoutes(100 - next, next);
        tick.Normal($"Advance {tick.Input.CanaryRef} canary weight {next}", CanaryPhase.Progressing);
        tick.Status = tick.Status with { CanaryWeight = next };
        return tick.Done();
    }

    private static Decision ABTesting(TickContext tick)
    {
        var iterations = tick.Status.Iterations;
        if (iterations >= tick.Plan.Iterations)
        {
            return PromotionStep.Gate(tick);
        }

        tick.SetRoutes(0, 100);
        return Iterate(tick, iterations + 1);
    }

    private static Decision BlueGreen(TickContext tick)
    {
        var plan = tick.Plan;
        var iterations = tick.Status.Iterations;
        var mirrored = tick.Facts.Routes.Mirrored;
        if (iterations < plan.Iterations)
        {
            if (plan.Mirror && plan.RoutesTraffic && !mirrored)
            {
                tick.SetRoutes(100, 0, mirrored: true);
            }

            return Iterate(tick, iterations + 1);
        }

        if (iterations > plan.Iterations)
        {
            // Traffic was switched to the canary last tick: now update the primary.
            return PromotionStep.Promote(tick);
        }

        return PromotionStep.WithApproval(tick, () =>
        {
            if (plan.RoutesTraffic)
            {
                // By the plan, not the routes: a restart after the switch (checkpoint lost) says the same.
                tick.Normal(plan.Mirror ? "Stop traffic mirroring and route all traffic to canary" : "Routing all traffic to canary", CanaryPhase.Progressing);
                tick.SetRoutes(0, 100);
            }

            tick.Status = tick.Status with { Phase = CanaryPhase.Progressing, Iterations = iterations + 1 };
            return tick.Done();
        });
    }

    private static TickOutcome Iterate(TickContext tick, int iteration)
    {
        tick.Normal($"Advance {tick.Input.CanaryRef} canary iteration {iteration}/{tick.Plan.Iterations}", CanaryPhase.Progressing);
        tick.Status = tick.Status with { Iterations = iteration };
        return tick.Done();
    }
}
