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
