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
}
