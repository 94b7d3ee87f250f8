using Canary.Api.V1Beta1;
using Canary.MetricTemplates.Judge.Statistics;
using Canary.Rollout.Revisions;
using Canary.Rollout.StateMachine;
using Canary.Rollout.Status;

namespace Canary.Rollout.Tests.StateMachine;

/// <summary>How the decider acts on the judge's verdicts: inconclusive holds, fail-fast rolls back, checks are kept.</summary>
public sealed class JudgeDecisionTests
{
    private static CanaryAnalysis Analysis(int maxInconclusive = 3, string onInconclusive = JudgeInconclusiveActions.Wait) => new()
    {
        Interval = "30s",
        Threshold = 5,
        StepWeight = 10,
        MaxWeight = 50,
        Judge = new CanaryJudge { MaxInconclusive = maxInconclusive, OnInconclusive = onInconclusive },
        Metrics = [new CanaryMetric { Name = BuiltInMetrics.RequestSuccessRate }],
    };

    private static CheckOutcome Inconclusive() =>
        new(CheckVerdict.Inconclusive, [], ["Holding podinfo.default request-success-rate inconclusive: 12 canary and 300 primary requests in the window, 100 needed on each side"])
        {
            Checks = [new MetricCheckRecord(BuiltInMetrics.RequestSuccessRate, CheckVerdicts.Inconclusive, "inconclusive", 100, 100, 12, 300)],
        };

    private static CheckOutcome Failed(bool failFast) =>
        new(CheckVerdict.Failed, [], ["Halt podinfo.default advancement request-success-rate canary 92.00% (16 of 200 failed) vs primary 100.00% (0 of 800 failed)"])
        {
            FailFast = failFast,
            Checks = [new MetricCheckRecord(BuiltInMetrics.RequestSuccessRate, CheckVerdicts.Fail, "worse", 92, 100, 200, 800, 1e-9)],
        };

    private static CheckOutcome Passed() => CheckOutcome.Pass with
    {
        Checks = [new MetricCheckRecord(BuiltInMetrics.RequestSuccessRate, CheckVerdicts.Pass, "fine", 99.9, 99.9, 300, 2700, 0.8)],
    };

    private static Scenario Release(CanaryAnalysis analysis, Func<CheckOutcome> metrics)
    {
        var s = new Scenario(analysis).AllHooksPass().Initialized().Answer(Question.Metrics, metrics);
        s.Revision = new Revision("rev2");
        s.Ticks(2); // new revision detected, then the first step to 10%
        Assert.Equal(10, s.Status.CanaryWeight);
        return s;
    }

    [Fact]
    public void An_inconclusive_check_holds_the_weight_without_counting_a_failure()
    {
        var s = Release(Analysis(maxInconclusive: 10), Inconclusive);

        s.Ticks(4);

        Assert.Equal(10, s.Status.CanaryWeight);
        Assert.Equal(0, s.Status.FailedChecks);
        Assert.Equal(4, s.Status.InconclusiveChecks);
        Assert.Equal(CanaryPhase.Progressing, s.Status.Phase);
    }

    [Fact]
    public void Reaching_maxInconclusive_says_so_once_with_a_condition_a_warning_and_an_alert_then_keeps_waiting()
    {
        var s = Release(Analysis(maxInconclusive: 3), Inconclusive);

        s.Ticks(6);

        Assert.Equal(CanaryPhase.Progressing, s.Status.Phase);
        Assert.Equal(10, s.Status.CanaryWeight);
        Assert.Single(s.Messages, m => m.StartsWith("Waiting for evidence: 3 inconclusive checks in a row", StringComparison.Ordinal));
        Assert.Single(s.Alerts, a => a.Message.StartsWith("Waiting for evidence after 3 inconclusive checks", StringComparison.Ordinal));
        var condition = Assert.Single(s.Stored!.Conditions!, c => c.Type == RolloutConditions.Conclusive);
        Assert.Equal("False", condition.Status);
        Assert.Equal("InsufficientEvidence", condition.Reason);
        Assert.Contains("12 canary and 300 primary requests", condition.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_conclusive_check_after_waiting_clears_the_condition_and_advances()
    {
        var verdict = Inconclusive();
        var s = Release(Analysis(maxInconclusive: 2), () => verdict);
        s.Ticks(3);
        verdict = Passed();

        s.Tick();

        Assert.Equal(20, s.Status.CanaryWeight);
        Assert.Equal(0, s.Status.InconclusiveChecks);
        Assert.Equal("True", Assert.Single(s.Stored!.Conditions!, c => c.Type == RolloutConditions.Conclusive).Status);
    }

    [Fact]
    public void OnInconclusive_Fail_rolls_back_at_the_limit()
    {
        var s = Release(Analysis(maxInconclusive: 2, onInconclusive: JudgeInconclusiveActions.Fail), Inconclusive);

        s.Ticks(2);

        Assert.Equal(CanaryPhase.Failed, s.Status.Phase);
        Assert.Contains(s.Messages, m => m.StartsWith("Rolling back podinfo.default after 2 inconclusive checks in a row", StringComparison.Ordinal));
    }

    [Fact]
    public void Overwhelming_evidence_rolls_back_at_once_instead_of_waiting_for_threshold()
    {
        var s = Release(Analysis(), () => Failed(failFast: true));

        s.Tick();

        Assert.Equal(CanaryPhase.Failed, s.Status.Phase);
        Assert.Equal(0, s.Status.CanaryWeight);
        Assert.Contains(s.Messages, m => m.StartsWith("Rolling back podinfo.default failing fast on overwhelming evidence: Halt podinfo.default advancement request-success-rate canary 92.00%", StringComparison.Ordinal));
        Assert.Contains(s.Alerts, a => a.Message.Contains("16 of 200 failed", StringComparison.Ordinal));
    }

    [Fact]
    public void A_failed_check_without_overwhelming_evidence_counts_toward_threshold()
    {
        var s = Release(Analysis(), () => Failed(failFast: false));

        s.Tick();

        Assert.Equal(CanaryPhase.Progressing, s.Status.Phase);
        Assert.Equal(1, s.Status.FailedChecks);
        Assert.Equal(10, s.Status.CanaryWeight);
    }

    [Fact]
    public void The_threshold_rollback_alert_carries_the_last_failed_checks_reason()
    {
        var s = Release(Analysis(), () => Failed(failFast: false));

        s.Ticks(6);

        Assert.Equal(CanaryPhase.Failed, s.Status.Phase);
        Assert.Contains(s.Alerts, a => a.Message == "Failed checks threshold reached 5: worse");
    }

    [Fact]
    public void Checks_are_kept_in_the_status_with_time_and_weight_and_survive_a_restart()
    {
        var s = Release(Analysis(), Passed);
        var checkedAt = s.Clock.GetUtcNow();

        s.Tick();
        var restarted = s.Restart();

        var check = Assert.Single(restarted.Status.Checks);
        Assert.Equal(10, check.Weight);
        Assert.Equal(checkedAt, check.Time);
        Assert.Equal(CheckVerdicts.Pass, check.Verdict);
        Assert.Equal(300, check.CanarySamples);
        Assert.Equal(2700, check.PrimarySamples);
        Assert.Equal(0.8, check.PValue);
    }

    [Fact]
    public void The_status_keeps_the_last_20_checks_and_a_new_rollout_starts_afresh()
    {
        var s = Release(Analysis(maxInconclusive: 100), Inconclusive);
        s.Ticks(25);
        Assert.Equal(RolloutStatus.MaxChecks, s.Status.Checks.Count);

        s.Revision = new Revision("rev3");
        s.Tick();

        Assert.Empty(s.Status.Checks);
    }

    [Fact]
    public void Each_steps_counts_are_kept_once_per_step_survive_a_restart_and_a_new_rollout_starts_afresh()
    {
        var calls = 0;
        var hold = true;
        CheckOutcome Counted()
        {
            calls++;
            var counts = new ErrorCounts(calls, 100 * calls, 0, 900 * calls);
            var record = new MetricCheckRecord(BuiltInMetrics.RequestSuccessRate, hold ? CheckVerdicts.Inconclusive : CheckVerdicts.Pass, "m") { Counts = counts };
            return (hold ? new CheckOutcome(CheckVerdict.Inconclusive, [], ["m"]) : CheckOutcome.Pass) with { Checks = [record] };
        }

        var s = Release(Analysis(maxInconclusive: 100), Counted);
        var firstStep = s.Status.StepStartTime!.Value;

        s.Ticks(2); // held at 10%: the second check of the step replaces the first
        var held = Assert.Single(s.Status.Evidence);
        Assert.Equal(new StepEvidence(BuiltInMetrics.RequestSuccessRate, firstStep, 10, new ErrorCounts(2, 200, 0, 1800)), held);

        hold = false;
        s.Ticks(2); // passes at 10% (→ 20%), then at 20% (→ 30%)
        var restarted = s.Restart();

        Assert.Equal(30, restarted.Status.CanaryWeight);
        Assert.Equal([(10, 3L), (20, 4L)], restarted.Status.Evidence.Select(e => (e.Weight, e.Counts.CanaryFailures)));
        Assert.Equal(firstStep, restarted.Status.Evidence[0].StepStart);
        Assert.Equal(firstStep + TimeSpan.FromSeconds(90), restarted.Status.Evidence[1].StepStart);

        s.Revision = new Revision("rev3");
        s.Tick();
        Assert.Empty(s.Status.Evidence);
    }

    [Fact]
    public void The_status_keeps_the_evidence_of_the_last_40_steps()
    {
        var start = DateTimeOffset.UnixEpoch;
        var status = new RolloutStatus().WithEvidence(
            Enumerable.Range(0, 45).Select(i => new StepEvidence("m", start.AddMinutes(i), i, new ErrorCounts(0, 1, 0, 1))));

        Assert.Equal(RolloutStatus.MaxEvidence, status.Evidence.Count);
        Assert.Equal(5, status.Evidence[0].Weight);
    }

    [Fact]
    public void Each_step_records_when_it_started_so_the_judge_compares_within_one_weight()
    {
        var s = Release(Analysis(), Passed);
        var firstStep = s.Status.StepStartTime;

        s.Tick();

        Assert.NotNull(firstStep);
        Assert.Equal(20, s.Status.CanaryWeight);
        Assert.Equal(firstStep + TimeSpan.FromSeconds(30), s.Status.StepStartTime);
    }
}
