using Canary.Api.V1Beta1;
using Canary.Providers.Routing;
using Canary.Rollout.Revisions;
using Canary.Rollout.StateMachine;
using Canary.Webhooks.Hooks;

namespace Canary.Rollout.Tests.StateMachine;

/// <summary>confirm-rollout, confirm-traffic-increase, confirm-promotion and rollback hooks.</summary>
public sealed class GateTests
{
    [Fact]
    public void Confirm_rollout_holds_the_revision_in_Waiting_until_approved()
    {
        var open = false;
        var s = new Scenario(Hooks.Canary()).AllHooksPass().Initialized()
            .Answer(Question.ConfirmRollout, () => open ? CheckOutcome.PassedHooks("gate") : Hooks.Closed("gate"));
        s.Revision = new Revision("rev2");

        s.Ticks(3);

        Assert.Equal(CanaryPhase.Waiting, s.Status.Phase);
        Assert.Equal("rev0", s.Status.LastAppliedSpec);
        Assert.DoesNotContain(s.Actions, a => a is ScaleTargetUpAction);
        Assert.Equal(3, s.Messages.Count(m => m == "Halt podinfo.default advancement waiting for approval gate"));
        Assert.Single(s.Alerts, a => a.Message == "Canary is waiting for approval.");
        Assert.Equal("Unknown", s.Stored!.Conditions!.Single(c => c.Type == "Promoted").Status);

        open = true;
        s.Tick();

        Assert.Equal(CanaryPhase.Progressing, s.Status.Phase);
        Assert.Equal("rev2", s.Status.LastAppliedSpec);
        Assert.Equal("Waiting Confirm-rollout check gate passed", s.Trace.First(t => t.Contains("Confirm-rollout", StringComparison.Ordinal)));
        Assert.Contains(s.Actions, a => a is ScaleTargetUpAction);
    }

    [Fact]
    public void Confirm_traffic_increase_holds_the_weight_without_failed_checks_or_repeated_pre_rollout()
    {
        var open = false;
        var s = new Scenario(Hooks.Canary()).AllHooksPass().Initialized()
            .Answer(Question.ConfirmTrafficIncrease, () => open ? CheckOutcome.Pass : Hooks.Closed("traffic"));
        s.Revision = new Revision("rev2");

        s.Ticks(4);

        Assert.Equal(CanaryPhase.Progressing, s.Status.Phase);
        Assert.Equal(0, s.Status.CanaryWeight);
        Assert.Equal(0, s.Status.FailedChecks);
        Assert.Equal(RouteState.AllPrimary, s.Routes);
        Assert.Single(s.Messages, m => m == "Starting canary analysis for podinfo.default");
        Assert.Equal(1, s.Asked.Count(q => q == Question.PreRollout));

        open = true;
        s.Tick();
        Assert.Equal(10, s.Status.CanaryWeight);
        Assert.Equal(new RouteState(90, 10, false), s.Routes);
    }

    [Fact]
    public void Confirm_promotion_moves_to_WaitingPromotion_and_keeps_analysing()
    {
        var open = false;
        var s = new Scenario(Hooks.Canary(stepWeight: 50, maxWeight: 50, threshold: 2)).AllHooksPass().Initialized()
            .Answer(Question.ConfirmPromotion, () => open ? CheckOutcome.PassedHooks("promote") : Hooks.Closed("promote"));
        s.Revision = new Revision("rev2");
        s.Ticks(3);

        Assert.Equal(CanaryPhase.WaitingPromotion, s.Status.Phase);
        Assert.Equal(50, s.Status.CanaryWeight);
        Assert.Single(s.Alerts, a => a.Message == "Canary promotion is waiting for approval.");

        s.Asked.Clear();
        s.Ticks(2);
        Assert.Equal(CanaryPhase.WaitingPromotion, s.Status.Phase);
        Assert.Equal(2, s.Asked.Count(q => q == Question.Metrics));
        Assert.Equal(2, s.Asked.Count(q => q == Question.ConfirmPromotion));
        Assert.Single(s.Alerts, a => a.Message == "Canary promotion is waiting for approval.");
        Assert.Equal(new RouteState(50, 50, false), s.Routes);

        open = true;
        s.Tick();
        Assert.Equal(CanaryPhase.Promoting, s.Status.Phase);
        Assert.Contains("Progressing Confirm-promotion check promote passed", s.Trace);
    }

    [Fact]
    public void WaitingPromotion_still_rolls_back_when_checks_fail()
    {
        var failing = false;
        var s = new Scenario(Hooks.Canary(stepWeight: 50, maxWeight: 50, threshold: 1)).AllHooksPass().Initialized()
            .Answer(Question.ConfirmPromotion, Hooks.Closed("promote"))
            .Answer(Question.Metrics, () => failing ? CheckOutcome.Fail("Halt podinfo.default advancement request-success-rate 90.00 < 99") : CheckOutcome.Pass);
        s.Revision = new Revision("rev2");
        s.Ticks(3);
        Assert.Equal(CanaryPhase.WaitingPromotion, s.Status.Phase);

        failing = true;
        s.Ticks(2);

        Assert.Equal(CanaryPhase.Failed, s.Status.Phase);
        Assert.Equal(RouteState.AllPrimary, s.Routes);
    }

    [Fact]
    public void Rollback_hook_answering_2xx_fails_the_canary()
    {
        var s = new Scenario(Hooks.Canary()).AllHooksPass().Initialized();
        s.Revision = new Revision("rev2");
        s.Ticks(3);
        Assert.Equal(20, s.Status.CanaryWeight);

        s.Answer(Question.RollbackHooks, new CheckOutcome(CheckVerdict.Rollback, [WebhookCall.Passing("abort")], []));
        s.Tick();

        Assert.Equal(CanaryPhase.Failed, s.Status.Phase);
        Assert.Contains("Progressing Rolling back podinfo.default manual webhook invoked", s.Trace);
        Assert.Contains(s.Alerts, a => a.Message == "Rolling back manual webhook invoked" && a.Severity == AlertSeverity.Warn);
        Assert.Equal(RouteState.AllPrimary, s.Routes);
    }
}
