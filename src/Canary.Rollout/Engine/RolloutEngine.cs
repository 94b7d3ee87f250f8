using Canary.Api.Defaults;
using Canary.Api.V1Beta1;
using Canary.Api.Validation;
using Canary.Providers.Routing;
using Canary.Rollout.Events;
using Canary.Rollout.StateMachine;
using Canary.Rollout.Status;
using Canary.Rollout.Targets;
using Canary.Webhooks.Hooks;

namespace Canary.Rollout.Engine;

/// <summary>
/// One tick for one Canary: read (through <see cref="IClusterReader"/>), observe the target, ask the pure
/// <see cref="RolloutDecider"/>, answer its questions (hooks, metrics), execute its actions, write the status checkpoint,
/// and say when to tick again. Deletion with revertOnDeletion goes through <see cref="DeletionHandler"/>.
/// </summary>
public sealed class RolloutEngine(
    IClusterReader reader,
    ITarget target,
    IServiceRouter services,
    ITrafficRouterResolver routers,
    IHookGate hooks,
    IAnalysisRunner analysis,
    IEventRecorder events,
    IAlertSink alerts,
    IStatusWriter statusWriter,
    FinalizerWriter finalizers,
    RolloutEngineOptions options,
    TimeProvider timeProvider)
{
    /// <summary>Runs one tick of the Canary <paramref name="ns"/>/<paramref name="name"/>; null = no requeue (the Canary is gone).</summary>
    public async Task<TimeSpan?> TickAsync(string ns, string name, CancellationToken cancellationToken)
    {
        var canary = await reader.GetCanaryAsync(ns, name, cancellationToken).ConfigureAwait(false);
        if (canary is null)
        {
            return null;
        }

        var spec = CanaryDefaults.Resolve(canary.Spec);
        if (canary.Metadata.DeletionTimestamp is not null)
        {
            // A provider that cannot even be resolved must not keep the finalizer forever: deletion goes on without it.
            ITrafficRouter? deletionRouter = null;
            string? routerError = null;
            try
            {
                deletionRouter = routers.RouterFor(canary);
            }
            catch (TrafficRouterException e)
            {
                routerError = e.Message;
            }

            var deletion = new DeletionHandler(target, services, deletionRouter, routerError, events, statusWriter, finalizers, timeProvider);
            return await deletion.RunAsync(canary, spec, options.ShortRequeue, cancellationToken).ConfigureAwait(false);
        }

        var validation = CanaryValidation.Validate(canary, options.Support);
        if (!validation.IsValid)
        {
            // Nothing is created or scaled; the next tick comes with the next spec change (a new generation).
            await RejectAsync(canary, validation.Summary, cancellationToken).ConfigureAwait(false);
            return null;
        }

        if (Condition(canary, RolloutConditions.Validated) is { Status: not "True" })
        {
            canary = await WriteConditionAsync(canary, RolloutConditions.Validated, "True", RolloutConditions.ValidSpec, "The spec is valid.", cancellationToken).ConfigureAwait(false);
        }

        canary = spec.RevertOnDeletion
            ? await finalizers.AddAsync(canary, cancellationToken).ConfigureAwait(false)
            : await finalizers.RemoveAsync(canary, cancellationToken).ConfigureAwait(false);

        if (spec.Suspend)
        {
            await events.RecordAsync(canary, new RolloutEvent(EventSeverity.Normal, "skipping canary run as object is suspended", Phase(canary)), cancellationToken).ConfigureAwait(false);
            return spec.Analysis.Interval;
        }

        try
        {
            var requeue = await RunTickAsync(canary, spec, cancellationToken).ConfigureAwait(false);
            await ClearFailureAsync(canary, cancellationToken).ConfigureAwait(false);
            return requeue;
        }
        catch (TrafficRouterException e)
        {
            await ReportFailureAsync(canary, "TrafficRouterFailed", $"traffic provider {routers.ProviderOf(canary)}: {e.Message}", cancellationToken).ConfigureAwait(false);
            return spec.Analysis.Interval;
        }
        catch (TargetException e)
        {
            await ReportFailureAsync(canary, "TargetFailed", e.Message, cancellationToken).ConfigureAwait(false);
            return spec.Analysis.Interval;
        }
    }

    private async Task<TimeSpan?> RunTickAsync(CanaryResource canary, EffectiveCanary spec, CancellationToken cancellationToken)
    {
        var router = routers.RouterFor(canary);
        var snapshot = await target.ObserveAsync(canary, cancellationToken).ConfigureAwait(false);

        // The primary and canary Services exist before the primary workload (Flagger's order).
        await services.InitializeAsync(canary, snapshot, cancellationToken).ConfigureAwait(false);
        var phase = Phase(canary);
        if (phase is CanaryPhase.None or CanaryPhase.Initializing)
        {
            await target.InitializeAsync(canary, snapshot, cancellationToken).ConfigureAwait(false);
            if (snapshot.Primary is null)
            {
                snapshot = await target.ObserveAsync(canary, cancellationToken).ConfigureAwait(false);
            }
        }

        // Routes matter only once the routing objects exist (after initialization); they only tell about mirroring.
        var routes = phase is CanaryPhase.None or CanaryPhase.Initializing
            ? RouteState.AllPrimary
            : await router.GetRoutesAsync(canary, cancellationToken).ConfigureAwait(false);

        var input = new TickInput
        {
            Name = canary.Metadata.Name,
            Namespace = canary.Metadata.NamespaceProperty,
            Uid = canary.Metadata.Uid ?? string.Empty,
            TargetKind = target.Kind,
            Spec = spec,
            Provider = routers.ProviderOf(canary),
            Status = RolloutStatus.From(canary.Status),
            Facts = new ObservedFacts(snapshot.Revision, snapshot.CanaryReadiness, snapshot.PrimaryReadiness, routes),
            Now = timeProvider.GetUtcNow(),
        };
        var outcome = await DecideAsync(canary, input, cancellationToken).ConfigureAwait(false);

        // Actions first, checkpoint last: a crash in between repeats idempotent actions, never skips a step.
        await new ActionExecutor(target, snapshot, services, router, hooks, events, alerts).ExecuteAsync(canary, outcome.Actions, cancellationToken).ConfigureAwait(false);
        if (StatusMapper.NeedsWrite(canary.Status, outcome.NextStatus, canary.Metadata.Generation))
        {
            var now = timeProvider.GetUtcNow();
            await statusWriter.WriteAsync(
                canary,
                latest => StatusMapper.Apply(latest.Status, outcome.NextStatus, now, latest.Metadata.Generation, target.Kind),
                cancellationToken).ConfigureAwait(false);
        }

        return outcome.RequeueAfter;
    }

    private async Task<TickOutcome> DecideAsync(CanaryResource canary, TickInput input, CancellationToken cancellationToken)
    {
        var answers = TickAnswers.None;
        while (true)
        {
            switch (RolloutDecider.Decide(input, answers))
            {
                case TickOutcome outcome:
                    return outcome;
                case NeedsAnswer need:
                    answers = answers.With(need.Question, await AnswerAsync(canary, input.Status.Phase, need.Question, cancellationToken).ConfigureAwait(false));
                    break;
            }
        }
    }

    private Task<CheckOutcome> AnswerAsync(CanaryResource canary, CanaryPhase phase, Question question, CancellationToken cancellationToken) => question switch
    {
        Question.MetricProviders => analysis.CheckProvidersAsync(canary, cancellationToken),
        Question.Metrics => analysis.AnalyzeAsync(canary, cancellationToken),
        Question.ConfirmRollout => hooks.RunAsync(canary, WebhookType.ConfirmRollout, phase, cancellationToken),
        Question.PreRollout => hooks.RunAsync(canary, WebhookType.PreRollout, CanaryPhase.Progressing, cancellationToken),
        Question.RolloutHooks => hooks.RunAsync(canary, WebhookType.Rollout, CanaryPhase.Progressing, cancellationToken),
        Question.ConfirmTrafficIncrease => hooks.RunAsync(canary, WebhookType.ConfirmTrafficIncrease, CanaryPhase.Progressing, cancellationToken),
        Question.ConfirmPromotion => hooks.RunAsync(canary, WebhookType.ConfirmPromotion, CanaryPhase.Progressing, cancellationToken),
        Question.RollbackHooks => hooks.RunAsync(canary, WebhookType.Rollback, phase, cancellationToken),
        _ => throw new InvalidOperationException($"unknown question {question}"),
    };

    /// <summary>
    /// A router or target failing at run time: a Warning Event and a False <c>Reconciled</c> condition naming the cause
    /// (never only a log line); the next tick retries.
    /// </summary>
    private async Task ReportFailureAsync(CanaryResource canary, string reason, string message, CancellationToken cancellationToken)
    {
        await events.RecordAsync(canary, new RolloutEvent(EventSeverity.Warning, message, Phase(canary)), cancellationToken).ConfigureAwait(false);
        if (Condition(canary, RolloutConditions.Reconciled) is { Status: "False" } reported && reported.Reason == reason && reported.Message == message)
        {
            return;
        }

        await WriteConditionAsync(canary, RolloutConditions.Reconciled, "False", reason, message, cancellationToken).ConfigureAwait(false);
    }

    // The status writer re-reads the latest object, so the Canary as read at the start of the tick is enough to decide.
    private async Task ClearFailureAsync(CanaryResource canary, CancellationToken cancellationToken)
    {
        if (Condition(canary, RolloutConditions.Reconciled) is { Status: "False" })
        {
            await WriteConditionAsync(canary, RolloutConditions.Reconciled, "True", "Reconciled", "The last tick completed.", cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// An invalid spec: a Warning Event and a False <c>Validated</c> condition, once per generation (the condition says it
    /// was reported; the event goes first so a failed status write repeats the report rather than losing it).
    /// </summary>
    private async Task RejectAsync(CanaryResource canary, string summary, CancellationToken cancellationToken)
    {
        var message = $"invalid canary: {summary}";
        if (Condition(canary, RolloutConditions.Validated) is { Status: "False" } reported && reported.ObservedGeneration == canary.Metadata.Generation && reported.Message == message)
        {
            return;
        }

        await events.RecordAsync(canary, new RolloutEvent(EventSeverity.Warning, message, Phase(canary)), cancellationToken).ConfigureAwait(false);
        await WriteConditionAsync(canary, RolloutConditions.Validated, "False", RolloutConditions.InvalidSpec, message, cancellationToken).ConfigureAwait(false);
    }

    private Task<CanaryResource> WriteConditionAsync(CanaryResource canary, string type, string status, string reason, string message, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow().UtcDateTime;
        return statusWriter.WriteAsync(
            canary,
            latest =>
            {
                // Only the condition changes: the rollout fields stay as the last checkpoint left them.
                var current = latest.Status ?? new CanaryStatus();
                current.Conditions = RolloutConditions.Upsert(current.Conditions, type, status, reason, message, now, latest.Metadata.Generation);
                return current;
            },
            cancellationToken);
    }

    private static k8s.Models.V1Condition? Condition(CanaryResource canary, string type) =>
        canary.Status?.Conditions?.FirstOrDefault(c => c.Type == type);

    private static CanaryPhase Phase(CanaryResource canary) => canary.Status?.Phase ?? CanaryPhase.None;
}
