using Canary.Api.V1Beta1;
using Canary.Rollout.Revisions;
using Canary.Rollout.StateMachine;

namespace Canary.Rollout.Tests.StateMachine;

/// <summary>CanaryRequests (kubectl canary promote/abort/pause/resume/retry/skip-analysis) as the decider handles them.</summary>
public sealed class ControlTests
{
    // An Initialized canary with a new revision, ticked to Progressing at weight 20.
    private static Scenario AtWeight20()
    {
        var s = new Scenario(Hooks.Canary()).AllHooksPass().Initialized();
        s.Revision = new Revision("rev2");
        s.Ticks(3);
        Assert.Equal((CanaryPhase.Progressing, 20), (s.Status.Phase, s.Status.CanaryWeight));
        return s;
    }

    [Fact]
    public void Pause_holds_the_weight_while_checks_keep_running_and_failing_checks_are_not_counted_then_resume_advances()
    {
        var s = AtWeight20().Request(CanaryControls.Pause, reason: "db migration");
        var checks = 0;
        s.Answer(Question.Metrics, () =>
        {
            checks++;
            return CheckOutcome.Fail("request-success-rate 80 < 99") with { Checks = [new MetricCheckRecord("request-success-rate", CheckVerdicts.Fail, "request-success-rate 80 < 99", 80)] };
        });

        s.Ticks(6);

        Assert.Equal((CanaryPhase.Progressing, 20, 0), (s.Status.Phase, s.Status.CanaryWeight, s.Status.FailedChecks));
        Assert.True(s.Status.Paused);
        Assert.Equal(6, checks);
        Assert.Equal(6, s.Status.Checks.Count(c => c.Verdict == CheckVerdicts.Fail && c.Weight == 20));
        Assert.Single(s.Messages, m => m == "pause requested by podinfo-pause-0 (reason: db migration) accepted: holding at weight 20 until resumed");
        var record = Assert.Single(s.Status.Controls);
        Assert.Equal((CanaryControls.Pause, CanaryControls.Accepted, "db migration"), (record.Action, record.Result, record.Reason));

        s.Answer(Question.Metrics, CheckOutcome.Pass).Request(CanaryControls.Resume);
        s.Tick();
        Assert.False(s.Status.Paused);
        Assert.Equal(30, s.Status.CanaryWeight);
        Assert.Contains("resume requested by podinfo-resume-1 accepted: advancing again from weight 20", s.Messages);
    }

    [Fact]
    public void Each_request_is_acted_on_once_even_when_the_engine_has_not_marked_it_yet()
    {
        var s = AtWeight20().Request(CanaryControls.Pause);
        var request = s.Requests[0];
        s.Tick();
        s.Requests.Add(request); // the engine crashed before marking it: the uid in the status keeps it from acting twice
        s.Request(CanaryControls.Resume);
        s.Tick();
        s.Requests.Add(request);
        s.Ticks(2);

        Assert.Equal([CanaryControls.Pause, CanaryControls.Resume], s.Status.Controls.Select(c => c.Action));
        Assert.False(s.Status.Paused);
        Assert.Single(s.Messages, m => m.StartsWith("pause requested", StringComparison.Ordinal));
    }

    [Fact]
    public void Promote_skips_the_remaining_steps_through_the_confirm_promotion_gate_and_force_skips_the_gate()
    {
        var gated = AtWeight20();
        gated.Answer(Question.ConfirmPromotion, Hooks.Closed("approval")).Request(CanaryControls.Promote);
        gated.Ticks(2);
        Assert.Equal((CanaryPhase.WaitingPromotion, 20), (gated.Status.Phase, gated.Status.CanaryWeight));
        Assert.Equal(CanaryControls.PromotionGated, gated.Status.RequestedPromotion);
        Assert.DoesNotContain(gated.Actions, a => a is PromoteAction);

        var forced = AtWeight20();
        forced.Answer(Question.ConfirmPromotion, Hooks.Closed("approval")).Request(CanaryControls.Promote, force: true, reason: "hotfix");
        forced.Tick();
        Assert.Equal(CanaryPhase.Promoting, forced.Status.Phase);
        Assert.Contains(forced.Actions, a => a is PromoteAction);
        Assert.Contains("promote --force requested by podinfo-promote-0 (reason: hotfix) accepted: the remaining steps are skipped and the canary promoted without the confirm-promotion gates", forced.Messages);
        forced.Ticks(3);
        Assert.Equal(CanaryPhase.Succeeded, forced.Status.Phase);
        Assert.Null(forced.Status.RequestedPromotion);
    }

    [Fact]
    public void Abort_rolls_back_in_the_same_tick_and_retry_runs_the_same_revision_again()
    {
        var s = AtWeight20().Request(CanaryControls.Abort, reason: "bad dashboard");
        s.Tick();
        Assert.Equal((CanaryPhase.Failed, 0), (s.Status.Phase, s.Status.CanaryWeight));
        Assert.Equal(new Providers.Routing.RouteState(100, 0, false), s.Routes);
        Assert.Contains(s.Actions, a => a is ScaleTargetToZeroAction);
        Assert.Contains(s.Alerts, a => a.Message == "Rolled back on request podinfo-abort-0 (reason: bad dashboard)");

        // Nothing changed in the Deployment: without retry the failed revision stays failed.
        s.Ticks(2);
        Assert.Equal(CanaryPhase.Failed, s.Status.Phase);

        s.Request(CanaryControls.Retry);
        s.Tick();
        Assert.Equal((CanaryPhase.Progressing, "rev2"), (s.Status.Phase, s.Status.LastAppliedSpec));
        Assert.False(s.Status.RetryRequested);
        Assert.Contains("New revision detected! Scaling up podinfo.default", s.Messages.Skip(s.Messages.ToList().FindIndex(m => m.StartsWith("retry", StringComparison.Ordinal))));
        s.Ticks(8);
        Assert.Equal(CanaryPhase.Succeeded, s.Status.Phase);
        Assert.Equal("rev2", s.Status.LastPromotedSpec);
    }

    [Fact]
    public void Skip_analysis_promotes_the_current_release_without_checks()
    {
        var s = AtWeight20().Request(CanaryControls.SkipAnalysis);
        s.Tick();
        Assert.Equal(CanaryPhase.Succeeded, s.Status.Phase);
        Assert.Contains("Promotion completed! Canary analysis was skipped for podinfo.default", s.Messages);
        Assert.False(s.Status.SkipAnalysisOnce);
    }

    [Fact]
    public void Skip_analysis_asked_between_releases_applies_to_the_next_one_only()
    {
        var s = new Scenario(Hooks.Canary()).AllHooksPass().Initialized().Request(CanaryControls.SkipAnalysis);
        s.Tick();
        Assert.True(s.Status.SkipAnalysisOnce);
        Assert.Contains("skip-analysis requested by podinfo-skip-analysis-0 accepted: the next release is promoted without analysis", s.Messages);

        s.Revision = new Revision("rev2");
        s.Ticks(2);
        Assert.Equal((CanaryPhase.Succeeded, "rev2"), (s.Status.Phase, s.Status.LastPromotedSpec));
        Assert.False(s.Status.SkipAnalysisOnce);

        s.Revision = new Revision("rev3");
        s.Ticks(3);
        Assert.Equal((CanaryPhase.Progressing, 20), (s.Status.Phase, s.Status.CanaryWeight));
    }

    [Theory]
    [InlineData(CanaryControls.Promote, false, "no release in progress to promote (phase Succeeded)")]
    [InlineData(CanaryControls.Abort, false, "no release in progress to abort (phase Succeeded)")]
    [InlineData(CanaryControls.Resume, false, "not paused")]
    [InlineData(CanaryControls.Retry, false, "only a failed release can be retried (phase Succeeded)")]
    [InlineData(CanaryControls.Pause, true, "force applies to promote only (spec.force with action pause)")]
    [InlineData("rollback", false, "unknown action \"rollback\" (spec.action): use one of promote, abort, pause, resume, retry, skip-analysis")]
    public void A_request_that_does_not_apply_is_refused_with_a_warning_and_changes_nothing(string action, bool force, string message)
    {
        var s = new Scenario(Hooks.Canary()).AllHooksPass().WithStatus(new RolloutStatus { Phase = CanaryPhase.Succeeded, LastAppliedSpec = "rev1", LastPromotedSpec = "rev1" });
        s.Request(action, force);
        var before = s.Status;
        s.Tick();

        var record = Assert.Single(s.Status.Controls);
        Assert.Equal((CanaryControls.Refused, message), (record.Result, record.Message));
        Assert.Single(s.Messages, m => m.EndsWith($"refused: {message}", StringComparison.Ordinal));
        Assert.True((s.Status with { Controls = [], Timeline = [] }).SameAs(before with { Controls = [], Timeline = [] }));
    }

    [Fact]
    public void Abort_is_refused_once_the_promotion_is_under_way()
    {
        var s = AtWeight20().Request(CanaryControls.Promote, force: true);
        s.Tick();
        s.Request(CanaryControls.Abort);
        s.Tick();
        Assert.Equal("the promotion is under way (phase Promoting): too late to abort", s.Status.Controls[^1].Message);
    }

    [Fact]
    public void The_timeline_and_the_webhooks_answers_of_the_rollout_are_kept_in_the_status()
    {
        var s = AtWeight20();
        Assert.Equal(
            [(CanaryPhase.Progressing, 0), (CanaryPhase.Progressing, 10), (CanaryPhase.Progressing, 20)],
            s.Status.Timeline.Select(t => (t.Phase, t.Weight)));
        Assert.Contains(s.Status.Webhooks, w => w is { Name: "confirm-rollout-webhook", Type: "confirm-rollout", Passed: true });
        Assert.Contains(s.Status.Webhooks, w => w is { Name: "pre-rollout-webhook", Type: "pre-rollout", Passed: true });
        var rollout = Assert.Single(s.Status.Webhooks, w => w.Name == "rollout-webhook");
        var firstAnswer = rollout.Time;

        // An unchanged answer keeps its time (a status write per tick for nothing new is avoided); a new answer replaces it.
        s.Tick();
        Assert.Equal(firstAnswer, Assert.Single(s.Status.Webhooks, w => w.Name == "rollout-webhook").Time);
        s.Answer(Question.RolloutHooks, CheckOutcome.FailedHook("rollout-webhook", "HTTP 500"));
        s.Tick();
        var failed = Assert.Single(s.Status.Webhooks, w => w.Name == "rollout-webhook");
        Assert.Equal((false, "HTTP 500"), (failed.Passed, failed.Message));
    }
}
