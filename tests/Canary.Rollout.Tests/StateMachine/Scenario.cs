using System.Text.Json;
using Canary.Api.Defaults;
using Canary.Api.Serialization;
using Canary.Api.V1Beta1;
using Canary.Providers.Routing;
using Canary.Rollout.Revisions;
using Canary.Rollout.StateMachine;
using Canary.Rollout.Status;
using Microsoft.Extensions.Time.Testing;

namespace Canary.Rollout.Tests.StateMachine;

/// <summary>
/// Drives the pure decider tick by tick: answers its questions from scripted gates, applies SetRoutes to the observed
/// routes (a perfect router), persists the status through JSON (the real checkpoint path) and records events.
/// </summary>
internal sealed class Scenario
{
    private readonly Dictionary<Question, Func<CheckOutcome>> _gates = [];

    public Scenario(CanaryAnalysis? analysis, string provider = "istio", bool skipAnalysis = false)
    {
        Spec = new CanarySpec
        {
            Provider = provider,
            TargetRef = new TargetReference { ApiVersion = "apps/v1", Kind = "Deployment", Name = "podinfo" },
            Service = new CanaryService { Port = 9898 },
            Analysis = analysis,
            SkipAnalysis = skipAnalysis,
        };
        Provider = provider;
    }

    public CanarySpec Spec { get; }

    public string Provider { get; }

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    /// <summary>The persisted status, as the API server stores it.</summary>
    public CanaryStatus? Stored { get; private set; }

    public Revision Revision { get; set; } = new("rev1");

    public Readiness Primary { get; set; } = Readiness.Ready;

    public Readiness Canary { get; set; } = Readiness.Ready;

    public RouteState Routes { get; set; } = RouteState.AllPrimary;

    /// <summary>Deletion, finalizer and validity facts (a live, valid Canary with the finalizer by default).</summary>
    public CanaryLifecycle Lifecycle { get; set; } = CanaryLifecycle.Steady;

    public List<(CanaryPhase Phase, string Message)> Events { get; } = [];

    public List<Question> Asked { get; } = [];

    public List<RolloutAction> Actions { get; } = [];

    public List<RolloutAlert> Alerts { get; } = [];

    public RolloutStatus Status => RolloutStatus.From(Stored);

    /// <summary>CanaryRequests not yet marked handled (the engine marks those whose uid the status records).</summary>
    public List<ControlRequest> Requests { get; } = [];

    /// <summary>Asks for a control, as `kubectl canary ACTION` would.</summary>
    public Scenario Request(string action, bool force = false, string? reason = null)
    {
        Requests.Add(new ControlRequest($"podinfo-{action}-{Requests.Count + Status.Controls.Count}", Guid.NewGuid().ToString(), action, force, reason, Clock.GetUtcNow()));
        return this;
    }

    public TickOutcome? Last { get; private set; }

    public Scenario Answer(Question question, CheckOutcome outcome)
    {
        _gates[question] = () => outcome;
        return this;
    }

    public Scenario Answer(Question question, Func<CheckOutcome> outcome)
    {
        _gates[question] = outcome;
        return this;
    }

    /// <summary>One tick: decide (answering questions), execute the routing actions, persist the status.</summary>
    public TickOutcome Tick()
    {
        var input = new TickInput
        {
            Name = "podinfo",
            Namespace = "default",
            Spec = CanaryDefaults.Resolve(Spec),
            Provider = Provider,
            Status = Status,
            Lifecycle = Lifecycle,
            Facts = new ObservedFacts(Revision, Canary, Primary, Routes),
            Requests = [.. Requests],
            Now = Clock.GetUtcNow(),
        };
        var answers = TickAnswers.None;
        for (var guard = 0; guard < 20; guard++)
        {
            switch (RolloutDecider.Decide(input, answers))
            {
                case NeedsAnswer need:
                    Asked.Add(need.Question);
                    answers = answers.With(need.Question, _gates.TryGetValue(need.Question, out var gate) ? gate() : CheckOutcome.Pass);
                    continue;
                case TickOutcome outcome:
                    Apply(outcome);
                    return outcome;
            }
        }

        throw new InvalidOperationException("the decider kept asking");
    }

    /// <summary>Ticks <paramref name="count"/> times, advancing the fake clock by the interval after each.</summary>
    public List<TickOutcome> Ticks(int count)
    {
        var outcomes = new List<TickOutcome>();
        for (var i = 0; i < count; i++)
        {
            outcomes.Add(Tick());
        }

        return outcomes;
    }

    /// <summary>Simulates a controller restart: a new scenario that only knows what the API server stored.</summary>
    public Scenario Restart()
    {
        var json = JsonSerializer.Serialize(Stored, CanaryJson.Options);
        var restarted = new Scenario(Spec.Analysis, Provider, Spec.SkipAnalysis == true)
        {
            Stored = JsonSerializer.Deserialize<CanaryStatus>(json, CanaryJson.Options),
            Revision = Revision,
            Primary = Primary,
            Canary = Canary,
            Routes = Routes,
        };
        foreach (var (question, gate) in _gates)
        {
            restarted._gates[question] = gate;
        }

        // Time goes on across a restart.
        restarted.Clock.SetUtcNow(Clock.GetUtcNow());

        return restarted;
    }

    /// <summary>Sets the stored status directly (e.g. an Initialized canary).</summary>
    public Scenario WithStatus(RolloutStatus status)
    {
        Stored = StatusMapper.Apply(Stored, status, Clock.GetUtcNow(), 1, "Deployment");
        return this;
    }

    public Scenario Initialized(string revision = "rev0") => WithStatus(new RolloutStatus
    {
        Phase = CanaryPhase.Initialized,
        LastAppliedSpec = revision,
        LastPromotedSpec = revision,
    });

    public IEnumerable<string> Messages => Events.Select(e => e.Message);

    public IEnumerable<string> Trace => Events.Select(e => $"{e.Phase} {e.Message}");

    private void Apply(TickOutcome outcome)
    {
        Last = outcome;
        foreach (var action in outcome.Actions)
        {
            Actions.Add(action);
            switch (action)
            {
                case SetRoutesAction routes:
                    Routes = new RouteState(routes.PrimaryWeight, routes.CanaryWeight, routes.Mirrored);
                    break;
                case EmitEventAction e:
                    Events.Add((e.Event.Phase, e.Event.Message));
                    break;
                case SendAlertAction a:
                    Alerts.Add(a.Alert);
                    break;
                case RunHooksAction { Type: WebhookType.PostRollout } hooks:
                    Events.Add((hooks.Phase, "Post-rollout check post-rollout-webhook passed"));
                    break;
            }
        }

        if (outcome.Checkpoint && StatusMapper.NeedsWrite(Stored, outcome.NextStatus, 1))
        {
            Stored = StatusMapper.Apply(Stored, outcome.NextStatus, Clock.GetUtcNow(), 1, "Deployment");
        }

        Requests.RemoveAll(r => Status.Controls.Any(c => c.Uid == r.Uid));

        // Steady phases ask for no timed tick (the next one comes from an event): let an interval pass anyway.
        Clock.Advance(outcome.RequeueAfter ?? CanaryDefaults.Resolve(Spec).Analysis.Interval);
    }
}
