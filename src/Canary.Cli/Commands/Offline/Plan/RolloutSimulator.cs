using Canary.Api.Defaults;
using Canary.Api.V1Beta1;
using Canary.Providers.Routing;
using Canary.Rollout.Revisions;
using Canary.Rollout.StateMachine;

namespace Canary.Cli.Commands.Offline.Plan;

/// <summary>One tick of a simulated rollout: when it runs, what the controller asked, did and wrote.</summary>
/// <param name="Index">0-based tick number (tick 0 detects the new revision).</param>
/// <param name="At">Time from the detection of the new revision.</param>
/// <param name="Asked">Questions the decider asked (gates, hooks, metrics), in order.</param>
/// <param name="Outcome">The decider's outcome: actions and the status written.</param>
/// <param name="Routes">The traffic split after the tick.</param>
internal sealed record SimulatedTick(int Index, TimeSpan At, IReadOnlyList<Question> Asked, TickOutcome Outcome, RouteState Routes)
{
    /// <summary>The phase written by the tick.</summary>
    public CanaryPhase Phase => Outcome.NextStatus.Phase;
}

/// <summary>
/// Plays a release through the controller's own state machine (<see cref="RolloutDecider"/>), with every workload ready
/// at once and each question answered by a scenario: the earliest timeline the controller can follow.
/// </summary>
/// <param name="Name">metadata.name of the Canary.</param>
/// <param name="Namespace">Its namespace.</param>
/// <param name="Spec">The effective spec (defaults applied).</param>
/// <param name="Provider">The traffic provider the controller would use.</param>
/// <param name="TargetKind">The target key (<see cref="TargetKinds.KeyOf"/>).</param>
internal sealed record RolloutSimulator(string Name, string Namespace, EffectiveCanary Spec, string Provider, string TargetKind)
{
    /// <summary>Ticks after which a simulation stops (a release never needs that many: 100 weight steps at most, plus a few).</summary>
    public const int MaxTicks = 1000;

    /// <summary>
    /// Runs from a promoted Canary whose target just changed until the controller stops asking for a timed tick
    /// (Succeeded or Failed), answering each question with <paramref name="answer"/> (tick index, question).
    /// </summary>
    public IReadOnlyList<SimulatedTick> Run(Func<int, Question, CheckOutcome> answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var start = DateTimeOffset.UnixEpoch;
        var status = new RolloutStatus { Phase = CanaryPhase.Succeeded, LastAppliedSpec = "current", LastPromotedSpec = "current" };
        var facts = new ObservedFacts(new Revision("next"), Readiness.Ready, Readiness.Ready, RouteState.AllPrimary);
        var lifecycle = new CanaryLifecycle { HasFinalizer = Spec.RevertOnDeletion };
        var at = TimeSpan.Zero;
        var ticks = new List<SimulatedTick>();
        for (var index = 0; index < MaxTicks; index++)
        {
            var input = new TickInput
            {
                Name = Name,
                Namespace = Namespace,
                TargetKind = TargetKind,
                Spec = Spec,
                Provider = Provider,
                Status = status,
                Facts = facts,
                Lifecycle = lifecycle,
                Now = start + at,
            };
            var answers = TickAnswers.None;
            var asked = new List<Question>();
            Decision decision;
            while ((decision = RolloutDecider.Decide(input, answers)) is NeedsAnswer need)
            {
                if (asked.Contains(need.Question))
                {
                    throw new InvalidOperationException($"the state machine asked {need.Question} twice in one tick");
                }

                asked.Add(need.Question);
                answers = answers.With(need.Question, answer(index, need.Question));
            }

            var outcome = (TickOutcome)decision;
            if (outcome.Actions.OfType<SetRoutesAction>().LastOrDefault() is { } routes)
            {
                facts = facts with { Routes = new RouteState(routes.PrimaryWeight, routes.CanaryWeight, routes.Mirrored) };
            }

            ticks.Add(new SimulatedTick(index, at, asked, outcome, facts.Routes));
            status = outcome.NextStatus;
            if (outcome.RequeueAfter is not { } next)
            {
                break;
            }

            at += next;
        }

        return ticks;
    }
}
