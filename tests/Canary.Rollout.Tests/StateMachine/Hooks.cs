using Canary.Api.V1Beta1;
using Canary.Rollout.StateMachine;

namespace Canary.Rollout.Tests.StateMachine;

/// <summary>Analyses and gate answers shared by the state-machine tests.</summary>
internal static class Hooks
{
    public static CanaryAnalysis Canary(int stepWeight = 10, int maxWeight = 50, int threshold = 5, int stepWeightPromotion = 0) => new()
    {
        Interval = "1m",
        Threshold = threshold,
        StepWeight = stepWeight,
        MaxWeight = maxWeight,
        StepWeightPromotion = stepWeightPromotion,
    };

    /// <summary>Every gate and check passes, each with one named hook (as in Flagger's events_test.go).</summary>
    public static Scenario AllHooksPass(this Scenario scenario) => scenario
        .Answer(Question.ConfirmRollout, CheckOutcome.PassedHooks("confirm-rollout-webhook"))
        .Answer(Question.PreRollout, CheckOutcome.PassedHooks("pre-rollout-webhook"))
        .Answer(Question.RolloutHooks, CheckOutcome.PassedHooks("rollout-webhook"))
        .Answer(Question.ConfirmTrafficIncrease, CheckOutcome.PassedHooks("confirm-traffic-increase-webhook"))
        .Answer(Question.ConfirmPromotion, CheckOutcome.PassedHooks("confirm-promotion-webhook"))
        .Answer(Question.RollbackHooks, CheckOutcome.Pass);

    public static CheckOutcome Closed(string name) => CheckOutcome.FailedHook(name, "HTTP 403 Forbidden", CheckVerdict.Wait);
}
