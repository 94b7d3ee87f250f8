using Canary.Api.V1Beta1;
using Canary.Rollout.StateMachine;
using Canary.Rollout.Status;

namespace Canary.Rollout.Tests.StateMachine;

/// <summary>Deletion, an invalid spec, suspension and the finalizer, decided by the pure decider.</summary>
public sealed class LifecycleTests
{
    private static Scenario Deleting(Scenario s, bool targetMissing = false)
    {
        s.Lifecycle = CanaryLifecycle.Steady with { Deleting = true, TargetMissing = targetMissing, DeletionPoll = TimeSpan.FromSeconds(3) };
        return s;
    }

    [Fact]
    public void Deletion_waits_for_the_users_workload_then_gives_it_the_traffic_and_releases_the_finalizer()
    {
        var ready = false;
        var s = Deleting(new Scenario(Hooks.Canary()).Initialized())
            .Answer(Question.RevertTarget, () => ready ? CheckOutcome.Pass : new CheckOutcome(CheckVerdict.Wait, [], ["deployment podinfo.default not ready: 0 of 2 updated replicas are available"]));

        var waiting = s.Tick();

        Assert.Equal(TimeSpan.FromSeconds(3), waiting.RequeueAfter);
        Assert.Equal(CanaryPhase.Terminating, s.Status.Phase);
        Assert.Equal(["Terminating canary podinfo.default", "deployment podinfo.default not ready: 0 of 2 updated replicas are available"], s.Messages);
        Assert.DoesNotContain(waiting.Actions, a => a is RemoveFinalizerAction or FinalizeRouterAction or FinalizeServicesAction);

        ready = true;
        var done = s.Tick();

        Assert.Null(done.RequeueAfter);
        Assert.Equal(CanaryPhase.Terminated, s.Status.Phase);
        Assert.Equal("Terminated canary podinfo.default", s.Messages.Last());
        Assert.Equal(
            [typeof(FinalizeServicesAction), typeof(FinalizeRouterAction), typeof(RemoveFinalizerAction)],
            done.Actions.Where(a => a is not EmitEventAction).Select(a => a.GetType()));
        Assert.Single(s.Messages, m => m.StartsWith("Terminating", StringComparison.Ordinal));
    }

    [Fact]
    public void A_terminated_canary_seen_again_only_releases_the_finalizer_without_reverting_twice()
    {
        var s = Deleting(new Scenario(Hooks.Canary()).Initialized()).Answer(Question.RevertTarget, () => CheckOutcome.Pass);
        s.Tick();
        Assert.Equal(CanaryPhase.Terminated, s.Status.Phase);
        var messages = s.Messages.Count();

        var again = s.Tick();

        Assert.Equal([typeof(RemoveFinalizerAction)], again.Actions.Select(a => a.GetType()));
        Assert.Single(s.Asked, q => q == Question.RevertTarget);
        Assert.Equal(messages, s.Messages.Count());
        Assert.Equal(CanaryPhase.Terminated, s.Status.Phase);
    }

    [Fact]
    public void Deletion_of_a_canary_whose_target_is_gone_reverts_the_routing_and_lets_go()
    {
        var s = Deleting(new Scenario(Hooks.Canary()).Initialized(), targetMissing: true);

        var outcome = s.Tick();

        Assert.DoesNotContain(Question.RevertTarget, s.Asked);
        Assert.Contains(outcome.Actions, a => a is FinalizeRouterAction);
        Assert.DoesNotContain(outcome.Actions, a => a is FinalizeServicesAction);
        Assert.IsType<RemoveFinalizerAction>(outcome.Actions[^1]);
    }

    [Fact]
    public void Deletion_without_revert_only_releases_the_finalizer_and_leaves_the_status_alone()
    {
        var s = Deleting(new Scenario(Hooks.Canary()).Initialized());
        s.Spec.RevertOnDeletion = false;

        var outcome = s.Tick();

        Assert.Equal([typeof(RemoveFinalizerAction)], outcome.Actions.Select(a => a.GetType()));
        Assert.False(outcome.Checkpoint);
        Assert.Null(outcome.RequeueAfter);
    }

    [Fact]
    public void Deletion_of_a_canary_without_the_finalizer_does_nothing()
    {
        var s = new Scenario(Hooks.Canary()).Initialized();
        s.Lifecycle = CanaryLifecycle.Steady with { Deleting = true, HasFinalizer = false };

        var outcome = s.Tick();

        Assert.Empty(outcome.Actions);
        Assert.False(outcome.Checkpoint);
        Assert.Null(outcome.RequeueAfter);
    }

    [Fact]
    public void An_invalid_spec_is_reported_once_with_an_event_and_a_condition_and_nothing_else_happens()
    {
        var s = new Scenario(Hooks.Canary());
        s.Lifecycle = CanaryLifecycle.Steady with { InvalidSpec = "spec.analysis.stepWeight: must be between 0 and 100", HasFinalizer = false };

        var first = s.Tick();

        Assert.Equal(["invalid canary: spec.analysis.stepWeight: must be between 0 and 100"], s.Messages);
        var condition = Assert.Single(first.Actions.OfType<SetConditionAction>());
        Assert.Equal((RolloutConditions.Validated, "False", RolloutConditions.InvalidSpec), (condition.Type, condition.Status, condition.Reason));
        Assert.DoesNotContain(first.Actions, a => a is AddFinalizerAction or ReconcileRouterAction or ScaleTargetToZeroAction);
        Assert.False(first.Checkpoint);
        Assert.Null(first.RequeueAfter);

        s.Lifecycle = s.Lifecycle with { ReportedInvalidSpec = condition.Message };
        Assert.Empty(s.Tick().Actions);
    }

    [Fact]
    public void A_fixed_spec_turns_validated_true_and_the_rollout_goes_on()
    {
        var s = new Scenario(Hooks.Canary()).Initialized("rev0");
        s.Lifecycle = CanaryLifecycle.Steady with { ValidatedConditionStale = true };

        var outcome = s.Tick();

        var condition = Assert.Single(outcome.Actions.OfType<SetConditionAction>());
        Assert.Equal(("True", RolloutConditions.ValidSpec), (condition.Status, condition.Reason));
        Assert.Equal(CanaryPhase.Progressing, s.Status.Phase);
    }

    [Fact]
    public void The_finalizer_follows_revert_on_deletion()
    {
        var adding = new Scenario(Hooks.Canary());
        adding.Lifecycle = CanaryLifecycle.Steady with { HasFinalizer = false };
        var added = adding.Tick();
        Assert.IsType<AddFinalizerAction>(added.Actions[0]);

        var removing = new Scenario(Hooks.Canary()).Initialized();
        removing.Spec.RevertOnDeletion = false;
        Assert.Contains(removing.Tick().Actions, a => a is RemoveFinalizerAction);

        var steady = new Scenario(Hooks.Canary()).Initialized();
        Assert.DoesNotContain(steady.Tick().Actions, a => a is AddFinalizerAction or RemoveFinalizerAction);
    }

    [Fact]
    public void A_suspended_canary_says_so_every_interval_and_does_nothing_else()
    {
        var s = new Scenario(Hooks.Canary()).Initialized("rev0");
        s.Spec.Suspend = true;

        var outcome = s.Tick();

        Assert.Equal(["skipping canary run as object is suspended"], s.Messages);
        Assert.All(outcome.Actions, a => Assert.IsType<EmitEventAction>(a));
        Assert.False(outcome.Checkpoint);
        Assert.Equal(CanaryPhase.Initialized, s.Status.Phase);
        Assert.Equal(TimeSpan.FromMinutes(1), outcome.RequeueAfter);
    }
}
