using Canary.Api.V1Beta1;
using Canary.Webhooks.Hooks;

namespace Canary.Rollout.StateMachine;

/// <summary>Accumulates the actions and the next status of one decision; the phase steps share it.</summary>
internal sealed class TickContext(TickInput input, TickAnswers answers)
{
    private readonly List<RolloutAction> _actions = [];

    public TickInput Input { get; } = input;

    private RolloutPlan? _plan;

    // Lazy: an invalid spec is rejected before anything asks for its plan.
    public RolloutPlan Plan => _plan ??= RolloutPlan.For(Input.Spec, Input.Provider, Input.TargetKind);

    /// <summary>The status being built; starts as the checkpoint read at the start of the tick.</summary>
    public RolloutStatus Status { get; set; } = input.Status;

    public CanaryPhase Phase => Input.Status.Phase;

    public ObservedFacts Facts => Input.Facts;

    /// <summary>
    /// The mirroring pre-step is behind us: the routes are mirrored, or they already carry the first weight after the
    /// mirror while the status still says 0 (a crash lost that step's checkpoint; mirroring again would take the canary's
    /// traffic back, a step repeated where Flagger repeats it).
    /// </summary>
    public bool MirrorStepDone => Plan.Mirror && (Facts.Routes.Mirrored || (Status.CanaryWeight == 0 && Status.Iterations == 0 && Facts.Routes.CanaryWeight > 0));

    /// <summary>How soon to look again while waiting for a workload to become ready.</summary>
    public TimeSpan ReadinessPoll => Plan.Interval < TimeSpan.FromSeconds(10) ? Plan.Interval : TimeSpan.FromSeconds(10);

    /// <summary>The answer to <paramref name="question"/> if given; the hooks' answers are kept in the status as they are read.</summary>
    public CheckOutcome? Answer(Question question)
    {
        if (!answers.TryGet(question, out var outcome))
        {
            return null;
        }

        foreach (var call in outcome.Calls)
        {
            Status = Status with { Webhooks = WebhookAnswers.With(Status.Webhooks, call, question, Input.Now) };
        }

        return outcome;
    }

    public void Act(RolloutAction action) => _actions.Add(action);

    public void Normal(string message, CanaryPhase phase) => _actions.Add(new EmitEventAction(new RolloutEvent(EventSeverity.Normal, message, phase)));

    public void Warning(string message, CanaryPhase phase) => _actions.Add(new EmitEventAction(new RolloutEvent(EventSeverity.Warning, message, phase)));

    public void Alert(AlertSeverity severity, string message, bool fields = false) => _actions.Add(new SendAlertAction(new RolloutAlert(severity, message, fields)));

    /// <summary>A traffic split; with session affinity the cookies move first (status) and travel with the action.</summary>
    public void SetRoutes(int primary, int canary, bool mirrored = false)
    {
        Status = SessionAffinityCookies.Next(Status, Input, canary);
        _actions.Add(new SetRoutesAction(primary, canary, mirrored) { Cookies = SessionAffinityCookies.Of(Status, Input) });
    }

    public void PostRollout(CanaryPhase phase) => _actions.Add(new RunHooksAction(WebhookType.PostRollout, phase));

    /// <summary>One "… check X passed" event per passed hook call (Flagger's wording per hook type).</summary>
    public void Passed(CheckOutcome outcome, string label, CanaryPhase phase)
    {
        foreach (var call in outcome.Calls.Where(c => c.Passed))
        {
            Normal($"{label} check {call.Name} passed", phase);
        }
    }

    public TickOutcome Done(TimeSpan? requeueAfter = null) => new(_actions.ToArray(), Checkpoint(), requeueAfter ?? Plan.Interval);

    /// <summary>A steady phase: no timed requeue, the next tick comes from a change event (zero API calls while idle).</summary>
    public TickOutcome Idle() => new(_actions.ToArray(), Checkpoint(), null);

    /// <summary>Only the actions (events, conditions, finalizer): the rollout fields of the status are left alone.</summary>
    public TickOutcome Untouched(TimeSpan? requeueAfter) => new(_actions.ToArray(), Input.Status, requeueAfter) { Checkpoint = false };

    /// <summary>Appends this tick's metric checks to the status, stamped with the tick's time and the weight they measured.</summary>
    public void RecordChecks(IReadOnlyList<MetricCheckRecord> checks)
    {
        var weight = Plan.Strategy == Api.Defaults.DeploymentStrategy.Canary ? Status.CanaryWeight : Status.Iterations;
        Status = Status.WithChecks(checks.Select(c => c with { Time = Input.Now, Weight = weight }));
        if (Status.StepStartTime is { } stepStart)
        {
            Status = Status.WithEvidence(checks.Where(c => c.Counts is not null).Select(c => new StepEvidence(c.Metric, stepStart, weight, c.Counts!.Value)));
        }
    }

    // A new traffic step (weight or iteration moved, or a rollout started) restarts the judge's window. Each step goes on
    // the timeline; a release that ends takes its one-off controls with it.
    private RolloutStatus Checkpoint()
    {
        var before = Input.Status;
        var status = Status;
        var moved = status.CanaryWeight != before.CanaryWeight || status.Iterations != before.Iterations
            || (status.Phase == CanaryPhase.Progressing && before.Phase != CanaryPhase.Progressing && before.Phase != CanaryPhase.WaitingPromotion);
        if (moved)
        {
            status = status with { StepStartTime = Input.Now, InconclusiveChecks = 0 };
        }

        if (moved || status.Phase != before.Phase || (status.Timeline.Count == 0 && status.Phase == CanaryPhase.Progressing))
        {
            var entry = new TimelineEntry(Input.Now, status.Phase, status.CanaryWeight, status.Iterations);
            status = status with { Timeline = [.. status.Timeline.Append(entry).TakeLast(RolloutStatus.MaxTimeline)] };
        }

        var ended = status.Phase is CanaryPhase.Succeeded or CanaryPhase.Failed && before.Phase is not (CanaryPhase.Succeeded or CanaryPhase.Failed);
        return ended ? status with { Paused = false, RequestedPromotion = null, SkipAnalysisOnce = false } : status;
    }

    public static NeedsAnswer Ask(Question question) => new(question);
}
