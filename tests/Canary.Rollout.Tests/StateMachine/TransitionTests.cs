using Canary.Api.V1Beta1;
using Canary.Providers.Routing;
using Canary.Rollout.Revisions;
using Canary.Rollout.StateMachine;
using Canary.Webhooks.Hooks;

namespace Canary.Rollout.Tests.StateMachine;

/// <summary>One test per transition of Flagger's state machine not covered by the golden sequences.</summary>
public sealed class TransitionTests
{
    [Fact]
    public void New_canary_waits_for_the_primary_then_initializes_and_scales_the_target_to_zero()
    {
        var s = new Scenario(Hooks.Canary()).AllHooksPass();
        s.Primary = Readiness.Waiting("podinfo-primary.default not ready: waiting for rollout to finish");
        var waiting = s.Tick();

        Assert.Equal(CanaryPhase.Initializing, s.Status.Phase);
        Assert.DoesNotContain(waiting.Actions, a => a is ScaleTargetToZeroAction or ReconcileRouterAction);

        s.Primary = Readiness.Ready;
        var done = s.Tick();

        Assert.Equal(CanaryPhase.Initialized, s.Status.Phase);
        Assert.Equal("rev1", s.Status.LastAppliedSpec);
        Assert.Equal("rev1", s.Status.LastPromotedSpec);
        var router = done.Actions.ToList().FindIndex(a => a is ReconcileRouterAction);
        var scale = done.Actions.ToList().FindIndex(a => a is ScaleTargetToZeroAction);
        Assert.True(router >= 0 && router < scale, "the apex Service moves to the primary before the target is scaled down");
        Assert.Contains(s.Alerts, a => a.Message == "New Deployment detected, initialization completed." && a.IncludeFields);
        var promoted = s.Stored!.Conditions!.Single(c => c.Type == "Promoted");
        Assert.Equal(("True", "Initialized", "Deployment initialization completed."), (promoted.Status, promoted.Reason, promoted.Message));
    }

    [Fact]
    public void Idle_canary_only_reconciles_routing_and_writes_no_status()
    {
        var s = new Scenario(Hooks.Canary()).AllHooksPass().Initialized("rev1");
        var stored = s.Stored;

        var outcome = s.Tick();

        Assert.Equal([new ReconcileRouterAction()], outcome.Actions);
        Assert.Same(stored, s.Stored);
        Assert.Empty(s.Asked);
    }

    [Theory]
    [InlineData(CanaryPhase.Initialized)]
    [InlineData(CanaryPhase.Succeeded)]
    [InlineData(CanaryPhase.Failed)]
    [InlineData(CanaryPhase.Terminated)]
    public void Steady_phases_ask_for_no_timed_tick(CanaryPhase phase)
    {
        // Nothing waits on time here: a new revision arrives as an event, so a periodic tick would only cost API calls.
        var s = new Scenario(Hooks.Canary()).AllHooksPass().WithStatus(new RolloutStatus { Phase = phase, LastAppliedSpec = "rev1", LastPromotedSpec = "rev1" });

        Assert.Null(s.Tick().RequeueAfter);
    }

    [Theory]
    [InlineData(CanaryPhase.Waiting)]
    [InlineData(CanaryPhase.Progressing)]
    [InlineData(CanaryPhase.WaitingPromotion)]
    [InlineData(CanaryPhase.Promoting)]
    public void Phases_waiting_on_time_or_gates_keep_ticking(CanaryPhase phase)
    {
        var s = new Scenario(Hooks.Canary()).AllHooksPass().WithStatus(new RolloutStatus { Phase = phase, LastAppliedSpec = "rev1", LastPromotedSpec = "rev0" });

        Assert.NotNull(s.Tick().RequeueAfter);
    }

    [Fact]
    public void Finalising_ends_in_Succeeded_without_a_timed_tick()
    {
        var s = new Scenario(Hooks.Canary()).AllHooksPass().WithStatus(new RolloutStatus { Phase = CanaryPhase.Finalising, LastAppliedSpec = "rev1", LastPromotedSpec = "rev0" });

        Assert.Null(s.Tick().RequeueAfter);
        Assert.Equal(CanaryPhase.Succeeded, s.Status.Phase);
    }

    [Fact]
    public void Metric_providers_are_checked_and_announced_once_per_initialization()
    {
        var s = new Scenario(Hooks.Canary()).AllHooksPass();
        s.Primary = Readiness.Waiting("podinfo-primary.default not ready");
        s.Ticks(3);
        s.Primary = Readiness.Ready;
        s.Tick();

        Assert.Equal(CanaryPhase.Initialized, s.Status.Phase);
        Assert.Single(s.Messages, m => m == "all the metrics providers are available!");
        Assert.Single(s.Asked, q => q == Question.MetricProviders);
    }

    [Fact]
    public void Initializing_keeps_ticking_while_the_primary_is_not_ready_and_a_new_revision_ticks_on()
    {
        var s = new Scenario(Hooks.Canary()).AllHooksPass();
        s.Primary = Readiness.Waiting("podinfo-primary.default not ready");
        Assert.NotNull(s.Tick().RequeueAfter);

        s.Primary = Readiness.Ready;
        Assert.Null(s.Tick().RequeueAfter);
        Assert.Equal(CanaryPhase.Initialized, s.Status.Phase);

        s.Revision = new Revision("rev2");
        Assert.NotNull(s.Tick().RequeueAfter);
        Assert.Equal(CanaryPhase.Progressing, s.Status.Phase);
    }

    [Fact]
    public void Failed_checks_reaching_the_threshold_roll_back()
    {
        var s = new Scenario(Hooks.Canary(threshold: 2)).AllHooksPass().Initialized()
            .Answer(Question.Metrics, CheckOutcome.Fail("Halt advancement no values found for istio metric request-success-rate probably podinfo.default is not receiving traffic"));
        s.Revision = new Revision("rev2");
        s.Ticks(2); // detect, first step to 10%
        Assert.Equal(10, s.Status.CanaryWeight);

        s.Tick();
        Assert.Equal(1, s.Status.FailedChecks);
        s.Tick();
        Assert.Equal(2, s.Status.FailedChecks);
        Assert.Equal(new RouteState(90, 10, false), s.Routes);
        var rollback = s.Tick();

        Assert.Equal(CanaryPhase.Failed, s.Status.Phase);
        Assert.Equal(0, s.Status.CanaryWeight);
        Assert.Equal("rev2", s.Status.LastAppliedSpec);
        Assert.Equal("rev0", s.Status.LastPromotedSpec);
        Assert.Equal(RouteState.AllPrimary, s.Routes);
        Assert.Contains(rollback.Actions, a => a is ScaleTargetToZeroAction);
        Assert.Contains(rollback.Actions, a => a is RunHooksAction { Type: WebhookType.PostRollout, Phase: CanaryPhase.Failed });
        Assert.Equal(
            ["Progressing Rolling back podinfo.default failed checks threshold reached 2", "Failed Canary failed! Scaling down podinfo.default"],
            s.Trace.TakeLast(3).Take(2));
        Assert.Contains(s.Alerts, a => a.Severity == AlertSeverity.Error && a.Message == "Failed checks threshold reached 2");
        Assert.Equal("False", s.Stored!.Conditions!.Single(c => c.Type == "Promoted").Status);

        // Failed is idle until the target changes; a retry needs a new revision.
        s.Asked.Clear();
        s.Tick();
        Assert.Equal(CanaryPhase.Failed, s.Status.Phase);
        Assert.Empty(s.Asked);
        s.Revision = new Revision("rev3");
        s.Tick();
        Assert.Equal(CanaryPhase.Progressing, s.Status.Phase);
    }

    [Fact]
    public void Pre_rollout_failure_counts_a_failed_check_before_any_traffic()
    {
        var s = new Scenario(Hooks.Canary(threshold: 2)).AllHooksPass().Initialized()
            .Answer(Question.PreRollout, CheckOutcome.FailedHook("db-migration", "HTTP 500 Internal Server Error: boom"));
        s.Revision = new Revision("rev2");
        s.Ticks(2);

        Assert.Equal(1, s.Status.FailedChecks);
        Assert.Equal(RouteState.AllPrimary, s.Routes);
        Assert.Contains("Progressing Halt podinfo.default advancement pre-rollout check db-migration failed HTTP 500 Internal Server Error: boom", s.Trace);
        s.Ticks(2);
        Assert.Equal(CanaryPhase.Failed, s.Status.Phase);
    }

    [Fact]
    public void Failing_rollout_hook_counts_a_failed_check_and_skips_the_metrics()
    {
        var s = new Scenario(Hooks.Canary()).AllHooksPass().Initialized();
        s.Revision = new Revision("rev2");
        s.Ticks(2);
        s.Answer(Question.RolloutHooks, CheckOutcome.FailedHook("load-test", "timeout after 10s"));
        s.Asked.Clear();

        s.Tick();

        Assert.Equal(1, s.Status.FailedChecks);
        Assert.DoesNotContain(Question.Metrics, s.Asked);
        Assert.Equal(10, s.Status.CanaryWeight);
        Assert.Equal("Progressing Halt podinfo.default advancement external check load-test failed timeout after 10s", s.Trace.Last());
    }

    [Fact]
    public void New_revision_mid_analysis_restarts_it_with_routes_back_on_the_primary()
    {
        var s = new Scenario(Hooks.Canary(threshold: 5)).AllHooksPass().Initialized();
        s.Revision = new Revision("rev2");
        s.Ticks(3);
        s.Answer(Question.Metrics, CheckOutcome.Fail("metric failed"));
        s.Tick();
        Assert.Equal((20, 1), (s.Status.CanaryWeight, s.Status.FailedChecks));

        s.Revision = new Revision("rev3", new Dictionary<string, string> { ["configmap/podinfo-config"] = "abc" });
        s.Answer(Question.Metrics, CheckOutcome.Pass);
        s.Tick();

        Assert.Equal("Progressing New revision detected! Restarting analysis for podinfo.default", s.Trace.Last());
        Assert.Equal(RouteState.AllPrimary, s.Routes);
        Assert.Equal(CanaryPhase.Progressing, s.Status.Phase);
        Assert.Equal((0, 0, 0), (s.Status.CanaryWeight, s.Status.FailedChecks, s.Status.Iterations));
        Assert.Equal("rev3", s.Status.LastAppliedSpec);
        Assert.Equal("abc", s.Status.TrackedConfigs["configmap/podinfo-config"]);

        s.Asked.Clear();
        s.Tick();
        Assert.Contains(Question.PreRollout, s.Asked); // pre-rollout runs again for the new revision
        Assert.Equal(10, s.Status.CanaryWeight);
    }

    [Fact]
    public void Config_change_alone_starts_an_analysis()
    {
        var s = new Scenario(Hooks.Canary()).AllHooksPass().Initialized("rev1");
        s.Revision = new Revision("rev1", new Dictionary<string, string> { ["secret/db"] = "1111" });

        s.Tick();

        Assert.Equal(CanaryPhase.Progressing, s.Status.Phase);
        Assert.Equal("1111", s.Status.TrackedConfigs["secret/db"]);
    }

    [Fact]
    public void Reverting_the_target_to_the_primary_spec_starts_nothing()
    {
        var s = new Scenario(Hooks.Canary()).AllHooksPass().Initialized("rev0");
        s.Revision = new Revision("rev2");
        s.Tick();
        s.Answer(Question.RollbackHooks, new CheckOutcome(CheckVerdict.Rollback, [WebhookCall.Passing("abort")], []));
        s.Tick();
        Assert.Equal(CanaryPhase.Failed, s.Status.Phase);

        s.Revision = new Revision("rev0");
        s.Tick();

        Assert.Equal(CanaryPhase.Failed, s.Status.Phase);
    }

    [Fact]
    public void Canary_not_ready_pauses_the_analysis_and_the_deadline_rolls_back()
    {
        var s = new Scenario(Hooks.Canary()).AllHooksPass().Initialized();
        s.Revision = new Revision("rev2");
        s.Ticks(2);
        var stored = s.Stored;
        s.Canary = Readiness.Waiting("canary deployment podinfo.default not ready: waiting for rollout to finish: 0 of 2 (readyThreshold 100%) updated replicas are available");

        s.Tick();

        Assert.Same(stored, s.Stored);
        Assert.Equal(10, s.Status.CanaryWeight);

        s.Canary = Readiness.Failed("canary deployment podinfo.default not ready: deployment \"podinfo\" exceeded its progress deadline");
        s.Tick();

        Assert.Equal(CanaryPhase.Failed, s.Status.Phase);
        Assert.Contains(s.Messages, m => m.StartsWith("Rolling back podinfo.default progress deadline exceeded canary deployment", StringComparison.Ordinal));
        Assert.Contains(s.Alerts, a => a.Severity == AlertSeverity.Error && a.Message.StartsWith("Progress deadline exceeded", StringComparison.Ordinal));
    }

    [Fact]
    public void Primary_failing_during_promotion_keeps_traffic_on_the_canary()
    {
        var s = new Scenario(Hooks.Canary(stepWeight: 50, maxWeight: 50)).AllHooksPass().Initialized();
        s.Revision = new Revision("rev2");
        s.Ticks(3);
        Assert.Equal(CanaryPhase.Promoting, s.Status.Phase);
        s.Primary = Readiness.Failed("podinfo-primary.default not ready: deployment \"podinfo-primary\" exceeded its progress deadline");

        var outcome = s.Tick();

        Assert.Equal(CanaryPhase.Failed, s.Status.Phase);
        Assert.Equal(100, s.Status.CanaryWeight);
        Assert.Equal(new RouteState(0, 100, false), s.Routes);
        Assert.DoesNotContain(outcome.Actions, a => a is ScaleTargetToZeroAction);
        Assert.StartsWith("Promotion of podinfo.default failed, primary not ready:", s.Messages.First(m => m.StartsWith("Promotion of", StringComparison.Ordinal)), StringComparison.Ordinal);
    }
}
