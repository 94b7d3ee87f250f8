using Canary.Api.V1Beta1;
using Canary.Providers.Routing;
using Canary.Rollout.Revisions;
using Canary.Rollout.StateMachine;

namespace Canary.Rollout.Tests.StateMachine;

/// <summary>Weight stepping, stepWeights, mirroring and promotion traffic shift of the canary strategy.</summary>
public sealed class CanaryStrategyTests
{
    private static List<int> WeightsUntilPromotion(Scenario s)
    {
        var weights = new List<int>();
        for (var i = 0; i < 20 && s.Status.Phase != CanaryPhase.Promoting; i++)
        {
            var before = s.Status.CanaryWeight;
            s.Tick();
            if (s.Status.CanaryWeight != before && s.Status.Phase == CanaryPhase.Progressing)
            {
                weights.Add(s.Status.CanaryWeight);
            }
        }

        return weights;
    }

    [Fact]
    public void StepWeight_10_maxWeight_50_steps_10_20_30_40_50_then_promotes()
    {
        var s = new Scenario(Hooks.Canary(stepWeight: 10, maxWeight: 50)).AllHooksPass().Initialized();
        s.Revision = new Revision("rev2");

        Assert.Equal([10, 20, 30, 40, 50], WeightsUntilPromotion(s));
        Assert.Equal(CanaryPhase.Promoting, s.Status.Phase);
        Assert.Equal(new RouteState(50, 50, false), s.Routes);
        Assert.Single(s.Actions.OfType<PromoteAction>());
    }

    [Fact]
    public void StepWeights_list_is_followed_exactly()
    {
        var analysis = new CanaryAnalysis { Interval = "30s", Threshold = 1, StepWeights = [1, 2, 10, 80] };
        var s = new Scenario(analysis).AllHooksPass().Initialized();
        s.Revision = new Revision("rev2");

        Assert.Equal([1, 2, 10, 80], WeightsUntilPromotion(s));
    }

    [Fact]
    public void Each_tick_requeues_after_the_analysis_interval()
    {
        var analysis = new CanaryAnalysis { Interval = "30s", StepWeight = 50 };
        var s = new Scenario(analysis).AllHooksPass().Initialized();
        s.Revision = new Revision("rev2");

        Assert.All(s.Ticks(3), outcome => Assert.Equal(TimeSpan.FromSeconds(30), outcome.RequeueAfter));
    }

    [Fact]
    public void StepWeightPromotion_shifts_traffic_back_in_steps()
    {
        var s = new Scenario(Hooks.Canary(stepWeight: 30, maxWeight: 60, stepWeightPromotion: 25)).AllHooksPass().Initialized();
        s.Revision = new Revision("rev2");
        WeightsUntilPromotion(s);
        var primaryWeights = new List<int>();
        while (s.Status.Phase == CanaryPhase.Promoting)
        {
            s.Tick();
            primaryWeights.Add(s.Routes.PrimaryWeight);
        }

        Assert.Equal([65, 90, 100], primaryWeights);
        Assert.Equal(CanaryPhase.Finalising, s.Status.Phase);
    }

    [Fact]
    public void Promoting_waits_for_the_primary_rollout()
    {
        var s = new Scenario(Hooks.Canary(stepWeight: 50, maxWeight: 50)).AllHooksPass().Initialized();
        s.Revision = new Revision("rev2");
        WeightsUntilPromotion(s);
        s.Primary = Readiness.Waiting("podinfo-primary.default not ready: waiting for rollout to finish: 1 old replicas are pending termination");

        var outcome = s.Tick();

        Assert.Equal(CanaryPhase.Promoting, s.Status.Phase);
        Assert.Equal(new RouteState(50, 50, false), s.Routes);
        Assert.Equal("podinfo-primary.default not ready: waiting for rollout to finish: 1 old replicas are pending termination", s.Messages.Last());
        Assert.True(outcome.RequeueAfter <= TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void Mirroring_shadows_traffic_for_one_step_before_shifting_weights()
    {
        var analysis = new CanaryAnalysis { Interval = "1m", StepWeight = 50, Mirror = true };
        var s = new Scenario(analysis).AllHooksPass().Initialized();
        s.Revision = new Revision("rev2");
        s.Ticks(2); // detect, then pre-rollout + mirror

        Assert.Equal(new RouteState(100, 0, true), s.Routes);
        Assert.Equal(0, s.Status.CanaryWeight);

        s.Asked.Clear();
        s.Tick();

        Assert.Contains(Question.Metrics, s.Asked);
        Assert.DoesNotContain(Question.ConfirmTrafficIncrease, s.Asked); // skipped while mirrored (Flagger)
        Assert.Equal(new RouteState(50, 50, false), s.Routes);
        Assert.Equal(50, s.Status.CanaryWeight);
    }

    [Fact]
    public void No_analysis_runs_before_the_canary_gets_traffic()
    {
        var s = new Scenario(Hooks.Canary()).AllHooksPass().Initialized();
        s.Revision = new Revision("rev2");
        s.Ticks(2);

        Assert.DoesNotContain(Question.Metrics, s.Asked);
        s.Tick();
        Assert.Contains(Question.Metrics, s.Asked);
    }
}
