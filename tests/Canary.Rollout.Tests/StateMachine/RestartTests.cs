using Canary.Api.V1Beta1;
using Canary.Rollout.Revisions;
using Canary.Rollout.StateMachine;

namespace Canary.Rollout.Tests.StateMachine;

/// <summary>
/// The status is the only checkpoint: a controller killed after any tick and restarted from the stored status continues
/// exactly where it stopped, with no step repeated or skipped.
/// </summary>
public sealed class RestartTests
{
    private static Scenario Start(CanaryAnalysis analysis)
    {
        var s = new Scenario(analysis).AllHooksPass().Initialized();
        s.Revision = new Revision("rev2");
        return s;
    }

    public static TheoryData<int> RestartPoints() => [1, 2, 3, 4, 5, 6, 7, 8, 9];

    [Theory]
    [MemberData(nameof(RestartPoints))]
    public void Canary_rollout_resumes_after_a_restart_at_any_tick(int restartAfter)
    {
        var analysis = Hooks.Canary(stepWeight: 20, maxWeight: 60, stepWeightPromotion: 30);
        var reference = Start(analysis);
        reference.Ticks(10);

        var interrupted = Start(analysis);
        interrupted.Ticks(restartAfter);
        var resumed = interrupted.Restart();
        resumed.Ticks(10 - restartAfter);

        Assert.Equal(reference.Trace, interrupted.Trace.Concat(resumed.Trace));
        Assert.True(reference.Status.SameAs(resumed.Status));
        Assert.Equal(reference.Routes, resumed.Routes);
        Assert.Equal(CanaryPhase.Succeeded, resumed.Status.Phase);
    }

    [Fact]
    public void Restart_while_a_gate_holds_the_first_step_does_not_rerun_pre_rollout()
    {
        var s = Start(Hooks.Canary()).Answer(Question.ConfirmTrafficIncrease, Hooks.Closed("traffic"));
        s.Ticks(2);
        Assert.Equal(1, s.Asked.Count(q => q == Question.PreRollout));

        var resumed = s.Restart();
        resumed.Ticks(2);

        Assert.DoesNotContain(Question.PreRollout, resumed.Asked);
        Assert.DoesNotContain("Starting canary analysis for podinfo.default", resumed.Messages);
    }

    [Fact]
    public void Restart_after_routes_were_set_but_before_the_status_was_written_reapplies_the_same_step()
    {
        var s = Start(Hooks.Canary(stepWeight: 10, maxWeight: 50));
        s.Ticks(3);
        Assert.Equal(20, s.Status.CanaryWeight);

        // Crash between SetRoutes (30%) and the status write: routes say 30, the checkpoint still says 20.
        var resumed = s.Restart();
        resumed.Routes = new Providers.Routing.RouteState(70, 30, false);
        resumed.Tick();

        Assert.Equal(30, resumed.Status.CanaryWeight);
        Assert.Equal(new Providers.Routing.RouteState(70, 30, false), resumed.Routes);
    }

    [Fact]
    public void Restart_in_WaitingPromotion_keeps_waiting_without_a_second_alert()
    {
        var s = Start(Hooks.Canary(stepWeight: 50, maxWeight: 50)).Answer(Question.ConfirmPromotion, Hooks.Closed("promote"));
        s.Ticks(3);
        Assert.Equal(CanaryPhase.WaitingPromotion, s.Status.Phase);

        var resumed = s.Restart();
        resumed.Ticks(2);

        Assert.Equal(CanaryPhase.WaitingPromotion, resumed.Status.Phase);
        Assert.Empty(resumed.Alerts);
        Assert.Equal(50, resumed.Status.CanaryWeight);
    }

    [Fact]
    public void Restart_after_the_first_weight_past_the_mirror_was_routed_but_not_checkpointed_does_not_mirror_again()
    {
        // Found by the chaos matrix (tests/Canary.E2E/Chaos): Flagger reads "weight 0, not mirrored" as "mirror first" and
        // takes the canary's 50% back to a mirror for a tick.
        var analysis = new CanaryAnalysis { Interval = "1m", StepWeight = 50, Mirror = true };
        var s = new Scenario(analysis).AllHooksPass().Initialized();
        s.Revision = new Revision("rev2");
        s.Ticks(2);
        Assert.Equal(new Providers.Routing.RouteState(100, 0, true), s.Routes);

        var resumed = s.Restart();
        resumed.Routes = new Providers.Routing.RouteState(50, 50, false);
        resumed.Asked.Clear();
        resumed.Tick();

        Assert.Equal(new Providers.Routing.RouteState(50, 50, false), resumed.Routes);
        Assert.Equal(50, resumed.Status.CanaryWeight);
        Assert.DoesNotContain(Question.PreRollout, resumed.Asked);
        Assert.DoesNotContain(Question.ConfirmTrafficIncrease, resumed.Asked);
        Assert.DoesNotContain(resumed.Actions, a => a is SetRoutesAction { Mirrored: true });
    }

    [Fact]
    public void Restart_after_the_blue_green_switch_from_a_mirror_announces_it_as_the_lost_tick_did()
    {
        var analysis = new CanaryAnalysis { Interval = "1m", Iterations = 2, Mirror = true };
        var s = new Scenario(analysis).AllHooksPass().Initialized();
        s.Revision = new Revision("rev2");
        s.Ticks(3);
        Assert.Equal(2, s.Status.Iterations);

        // The switch to the canary was routed, its checkpoint lost: routes no longer mirrored.
        var resumed = s.Restart();
        resumed.Routes = new Providers.Routing.RouteState(0, 100, false);
        resumed.Tick();

        Assert.Contains("Stop traffic mirroring and route all traffic to canary", resumed.Messages);
        Assert.DoesNotContain("Routing all traffic to canary", resumed.Messages);
    }
}
