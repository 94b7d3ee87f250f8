using Canary.Api.V1Beta1;
using Canary.Providers.Routing;
using Canary.Rollout.Revisions;
using Canary.Rollout.StateMachine;

namespace Canary.Rollout.Tests.StateMachine;

/// <summary>A/B testing, blue/green and the kubernetes provider's forced blue/green.</summary>
public sealed class IterationStrategyTests
{
    [Fact]
    public void AB_testing_routes_matched_traffic_to_the_canary_for_each_iteration_then_promotes()
    {
        var analysis = new CanaryAnalysis
        {
            Interval = "1m",
            Iterations = 3,
            Match = [new HttpMatchRequest { Name = "insider" }],
        };
        var s = new Scenario(analysis).AllHooksPass().Initialized();
        s.Revision = new Revision("rev2");
        s.Ticks(4);

        Assert.Equal(new RouteState(0, 100, false), s.Routes);
        Assert.Equal(
            ["Advance podinfo.default canary iteration 1/3", "Advance podinfo.default canary iteration 2/3", "Advance podinfo.default canary iteration 3/3"],
            s.Messages.Where(m => m.Contains("iteration", StringComparison.Ordinal)));
        Assert.Equal(3, s.Status.Iterations);

        s.Tick();
        Assert.Equal(CanaryPhase.Promoting, s.Status.Phase);
        s.Tick();
        Assert.Equal(CanaryPhase.Finalising, s.Status.Phase);
        Assert.Equal(RouteState.AllPrimary, s.Routes);
    }

    [Theory]
    [InlineData("istio")]
    [InlineData("kubernetes")]
    public void Blue_green_counts_iterations_and_analysis_ticks_as_flagger_does(string provider)
    {
        // Flagger's runBlueGreen (pkg/controller/scheduler.go): N iterations, then one more tick that switches traffic to the canary and
        // counts iterations = N+1 (also with the kubernetes provider, which moves no traffic), then Promote.
        var s = new Scenario(new CanaryAnalysis { Interval = "1m", Iterations = 3 }, provider).AllHooksPass().Initialized();
        s.Revision = new Revision("rev2");
        var ticks = new List<(CanaryPhase, int)>();
        for (var i = 0; i < 6; i++)
        {
            s.Tick();
            ticks.Add((s.Status.Phase, s.Status.Iterations));
        }

        Assert.Equal(
            [
                (CanaryPhase.Progressing, 0), // new revision detected, canary scaled up
                (CanaryPhase.Progressing, 1), // pre-rollout hooks, iteration 1/3
                (CanaryPhase.Progressing, 2),
                (CanaryPhase.Progressing, 3),
                (CanaryPhase.Progressing, 4), // confirm-promotion, traffic to the canary
                (CanaryPhase.Promoting, 4),
            ],
            ticks);

        // Metrics run whenever the canary had traffic: iterations 2 and 3, the switch and the promotion tick (N+1).
        Assert.Equal(4, s.Asked.Count(q => q == Question.Metrics));
        Assert.Equal(3, s.Messages.Count(m => m.StartsWith("Advance podinfo.default canary iteration", StringComparison.Ordinal)));
    }

    [Fact]
    public void AB_testing_never_counts_past_the_iterations()
    {
        // Flagger's runAB (pkg/controller/scheduler.go): iterations++ while below N; at N confirm-promotion and Promote.
        var analysis = new CanaryAnalysis { Interval = "1m", Iterations = 3, Match = [new HttpMatchRequest { Name = "insider" }] };
        var s = new Scenario(analysis).AllHooksPass().Initialized();
        s.Revision = new Revision("rev2");
        var iterations = new List<int>();
        while (s.Status.Phase != CanaryPhase.Promoting)
        {
            s.Tick();
            iterations.Add(s.Status.Iterations);
        }

        Assert.Equal([0, 1, 2, 3, 3], iterations);
        Assert.Equal(3, s.Asked.Count(q => q == Question.Metrics));
    }

    [Fact]
    public void Blue_green_with_mirroring_shadows_traffic_then_switches()
    {
        var analysis = new CanaryAnalysis { Interval = "1m", Iterations = 2, Mirror = true };
        var s = new Scenario(analysis).AllHooksPass().Initialized();
        s.Revision = new Revision("rev2");
        s.Ticks(2);
        Assert.Equal(new RouteState(100, 0, true), s.Routes);

        s.Ticks(2);
        Assert.Contains("Stop traffic mirroring and route all traffic to canary", s.Messages);
        Assert.Equal(new RouteState(0, 100, false), s.Routes);
    }

    [Fact]
    public void Kubernetes_provider_forces_blue_green_with_10_iterations_and_moves_no_traffic()
    {
        var s = new Scenario(Hooks.Canary(), provider: "kubernetes").AllHooksPass().Initialized();
        s.Revision = new Revision("rev2");
        var phases = new List<CanaryPhase>();
        for (var i = 0; i < 15; i++)
        {
            s.Tick();
            phases.Add(s.Status.Phase);
        }

        Assert.Contains("Advance podinfo.default canary iteration 10/10", s.Messages);
        Assert.DoesNotContain(s.Actions, a => a is SetRoutesAction);
        Assert.Equal(CanaryPhase.Succeeded, s.Status.Phase);
        Assert.Equal(CanaryPhase.Finalising, phases[^2]);
        Assert.DoesNotContain("Routing all traffic to canary", s.Messages);
    }
}
