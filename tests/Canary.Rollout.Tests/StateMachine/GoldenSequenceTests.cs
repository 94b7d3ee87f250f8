using Canary.Api.V1Beta1;
using Canary.Rollout.Revisions;
using Canary.Rollout.StateMachine;

namespace Canary.Rollout.Tests.StateMachine;

/// <summary>The event sequences and per-tick phases of Flagger's events_test.go / scheduler tests.</summary>
public sealed class GoldenSequenceTests
{
    [Fact]
    public void Canary_strategy_emits_flaggers_golden_event_sequence()
    {
        var s = new Scenario(Hooks.Canary(stepWeight: 100, maxWeight: 100, stepWeightPromotion: 50)).AllHooksPass();
        s.Primary = Readiness.Waiting("podinfo-primary.default not ready: waiting for rollout to finish: 0 out of 1 new replicas have been updated");
        s.Tick();
        s.Primary = Readiness.Ready;
        s.Tick();
        Assert.Equal(CanaryPhase.Initialized, s.Status.Phase);

        s.Revision = new Revision("rev2");
        var phases = new List<(CanaryPhase, int)>();
        for (var i = 0; i < 6; i++)
        {
            s.Tick();
            phases.Add((s.Status.Phase, s.Status.CanaryWeight));
        }

        Assert.Equal(
            [
                "Initializing all the metrics providers are available!",
                "Initializing podinfo-primary.default not ready: waiting for rollout to finish: 0 out of 1 new replicas have been updated",
                // Divergence (DIVERGENCES.md): Flagger checks the providers and repeats this event on every Initializing tick.
                "Initialized Initialization done! podinfo.default",
                "Initialized Confirm-rollout check confirm-rollout-webhook passed",
                "Progressing New revision detected! Scaling up podinfo.default",
                "Progressing Starting canary analysis for podinfo.default",
                "Progressing Pre-rollout check pre-rollout-webhook passed",
                "Progressing Confirm-traffic-increase check confirm-traffic-increase-webhook passed",
                "Progressing Advance podinfo.default canary weight 100",
                // Divergence (DIVERGENCES.md): Flagger calls confirm-traffic-increase once more here although the
                // next action is the promotion, not a traffic increase.
                "Progressing Confirm-promotion check confirm-promotion-webhook passed",
                "Progressing Copying podinfo.default template spec to podinfo-primary.default",
                "Promoting Advance podinfo.default primary weight 50",
                "Promoting Advance podinfo.default primary weight 100",
                "Succeeded Post-rollout check post-rollout-webhook passed",
                "Succeeded Promotion completed! Scaling down podinfo.default",
            ],
            s.Trace);

        Assert.Equal(
            [
                (CanaryPhase.Progressing, 0), (CanaryPhase.Progressing, 100), (CanaryPhase.Promoting, 100),
                (CanaryPhase.Promoting, 50), (CanaryPhase.Finalising, 0), (CanaryPhase.Succeeded, 0),
            ],
            phases);
        Assert.Equal("rev2", s.Status.LastPromotedSpec);
        Assert.Equal(Providers.Routing.RouteState.AllPrimary, s.Routes);
    }

    [Fact]
    public void Skip_analysis_promotes_in_the_tick_after_detection()
    {
        var s = new Scenario(Hooks.Canary(), skipAnalysis: true).AllHooksPass().Initialized();
        s.Revision = new Revision("rev2");
        s.Ticks(2);

        Assert.Equal(
            [
                "Initialized Confirm-rollout check confirm-rollout-webhook passed",
                "Progressing New revision detected! Scaling up podinfo.default",
                "Progressing Copying podinfo.default template spec to podinfo-primary.default",
                "Succeeded Post-rollout check post-rollout-webhook passed",
                "Succeeded Promotion completed! Canary analysis was skipped for podinfo.default",
            ],
            s.Trace);
        Assert.Equal(CanaryPhase.Succeeded, s.Status.Phase);
        Assert.DoesNotContain(Question.PreRollout, s.Asked);
        Assert.DoesNotContain(Question.Metrics, s.Asked);
        Assert.Contains(s.Actions, a => a is PromoteAction);
    }

    [Fact]
    public void Blue_green_phases_per_tick()
    {
        var analysis = new CanaryAnalysis { Interval = "1m", Threshold = 5, Iterations = 2 };
        var s = new Scenario(analysis).AllHooksPass().Initialized();
        s.Revision = new Revision("rev2");
        var phases = new List<CanaryPhase>();
        for (var i = 0; i < 7; i++)
        {
            s.Tick();
            phases.Add(s.Status.Phase);
        }

        Assert.Equal(
            [
                CanaryPhase.Progressing, CanaryPhase.Progressing, CanaryPhase.Progressing, CanaryPhase.Progressing,
                CanaryPhase.Promoting, CanaryPhase.Finalising, CanaryPhase.Succeeded,
            ],
            phases);
        Assert.Contains("Progressing Advance podinfo.default canary iteration 1/2", s.Trace);
        Assert.Contains("Progressing Advance podinfo.default canary iteration 2/2", s.Trace);
        Assert.Contains("Progressing Routing all traffic to canary", s.Trace);
        Assert.Contains("Promoting Routing all traffic to primary", s.Trace);
        Assert.Equal(Providers.Routing.RouteState.AllPrimary, s.Routes);
    }
}
