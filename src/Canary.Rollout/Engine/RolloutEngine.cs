using Canary.Api.Defaults;
using Canary.Api.V1Beta1;
using Canary.Api.Validation;
using Canary.Providers.Routing;
using Canary.Rollout.Controls;
using Canary.Rollout.Events;
using Canary.Rollout.StateMachine;
using Canary.Rollout.Status;
using Canary.Rollout.Targets;
using Canary.Webhooks.Hooks;
using Microsoft.Extensions.Options;

namespace Canary.Rollout.Engine;

/// <summary>
/// One tick for one Canary: read (through <see cref="IClusterReader"/>), observe the target, ask the pure
/// <see cref="RolloutDecider"/>, answer its questions (hooks, metrics), execute its actions, write the status checkpoint,
/// and say when to tick again. Deletion, an invalid spec and suspension are the decider's outcomes too.
/// </summary>
public sealed class RolloutEngine(
    IClusterReader reader,
    ITargetResolver targets,
    IServiceRouter services,
    ITrafficRouterResolver routers,
    IHookGate hooks,
    IAnalysisRunner analysis,
    IEventRecorder events,
    IAlertSink alerts,
    IControlRequests controlRequests,
    IStatusWriter statusWriter,
    FinalizerWriter finalizers,
    IOptions<RolloutEngineOptions> engineOptions,
    TimeProvider timeProvider)
{
    private readonly RolloutEngineOptions _options = engineOptions?.Value ?? throw new ArgumentNullException(nameof(engineOptions));
    private readonly UnfinishedTicks _unfinished = new();

    /// <summary>Runs one tick of the Canary <paramref name="ns"/>/<paramref name="name"/>; null = no requeue (the Canary is gone).</summary>
    public async Task<TimeSpan?> TickAsync(string ns, string name, CancellationToken cancellationToken)
    {
        var canary = await reader.GetCanaryAsync(ns, name, cancellationToken).ConfigureAwait(false);
        if (canary is null)
        {
            return null;
        }

        var spec = CanaryDefaults.Resolve(canary.Spec);
        var lifecycle = ReadLifecycle(canary);
        try
        {
            // What is observed depends only on the lifecycle: an invalid or suspended Canary touches nothing in the
            // cluster, deletion reads the target it gives the traffic back to. The decider makes every decision.
            var resources = lifecycle.Deleting ? await ResolveForDeletionAsync(canary, cancellationToken).ConfigureAwait(false)
                : lifecycle.InvalidSpec is not null || spec.Suspend ? new TickResources(null, null, services, null, null)
                : null;
            if (resources is { Target: null } && lifecycle.Deleting)
            {
                lifecycle = lifecycle with { TargetMissing = true };
            }

            var requeue = resources is null
                ? await RunRolloutTickAsync(canary, spec, lifecycle, cancellationToken).ConfigureAwait(false)
                : await RunTickAsync(canary, spec, lifecycle, resources, ObservedFacts.Unobserved, cancellationToken).ConfigureAwait(false);
            if (!lifecycle.Deleting && lifecycle.InvalidSpec is null)
            {
                await ClearFailureAsync(canary, cancellationToken).ConfigureAwait(false);
            }

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

    private CanaryLifecycle ReadLifecycle(CanaryResource canary)
    {
        var deleting = canary.Metadata.DeletionTimestamp is not null;
        var validation = deleting ? null : CanaryValidation.Validate(canary, _options.Support);
        var validated = Condition(canary, RolloutConditions.Validated);
        return new CanaryLifecycle
        {
            Deleting = deleting,
            HasFinalizer = FinalizerWriter.Has(canary),
            InvalidSpec = validation is { IsValid: false } ? validation.Summary : null,
            ReportedInvalidSpec = validated is { Status: "False" } && validated.ObservedGeneration == canary.Metadata.Generation ? validated.Message : null,
            ValidatedConditionStale = validated is { Status: not "True" },
            DeletionPoll = _options.ShortRequeue,
        };
    }

    // A provider or target kind that cannot even be resolved must not keep the finalizer forever: deletion goes on without it.
    private async Task<TickResources> ResolveForDeletionAsync(CanaryResource canary, CancellationToken cancellationToken)
    {
        ITrafficRouter? router = null;
        string? routerError = null;
        try
        {
            router = routers.RouterFor(canary);
        }
        catch (TrafficRouterException e)
        {
            routerError = e.Message;
        }

        try
        {
            var target = targets.TargetFor(canary);
            var snapshot = await target.ObserveAsync(canary, cancellationToken).ConfigureAwait(false);
            return new TickResources(target, snapshot, ServicesFor(target), router, routerError);
        }
        catch (TargetException)
        {
            return new TickResources(null, null, services, router, routerError);
        }
    }

    private async Task<TimeSpan?> RunRolloutTickAsync(CanaryResource canary, EffectiveCanary spec, CanaryLifecycle lifecycle, CancellationToken cancellationToken)
    {
        var target = targets.TargetFor(canary);
        var serviceRouter = ServicesFor(target);
        var router = routers.RouterFor(canary);
        var snapshot = await target.ObserveAsync(canary, cancellationToken).ConfigureAwait(false);

        // The primary and canary Services exist before the primary workload (Flagger's order). Nothing is scaled here:
        // the user's workload is only scaled down by an action decided after the finalizer is in place.
        await serviceRouter.InitializeAsync(canary, snapshot, cancellationToken).ConfigureAwait(false);
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
        var facts = new ObservedFacts(snapshot.Revision, snapshot.CanaryReadiness, snapshot.PrimaryReadiness, routes);
        return await RunTickAsync(canary, spec, lifecycle, new TickResources(target, snapshot, serviceRouter, router, null), facts, cancellationToken).ConfigureAwait(false);
    }

    private async Task<TimeSpan?> RunTickAsync(
        CanaryResource canary, EffectiveCanary spec, CanaryLifecycle lifecycle, TickResources resources, ObservedFacts facts, CancellationToken cancellationToken)
    {
        var requests = lifecycle.Deleting || lifecycle.InvalidSpec is not null
            ? []
            : await controlRequests.ListAsync(canary.Metadata.NamespaceProperty, canary.Metadata.Name, cancellationToken).ConfigureAwait(false);
        var pending = requests.Where(r => r.Status?.Result is null)
            .OrderBy(r => r.Metadata.CreationTimestamp ?? DateTime.MaxValue).ThenBy(r => r.Metadata.Name, StringComparer.Ordinal).ToList();
        var input = new TickInput
        {
            Name = canary.Metadata.Name,
            Namespace = canary.Metadata.NamespaceProperty,
            Uid = canary.Metadata.Uid ?? string.Empty,
            TargetKind = resources.Target?.Kind ?? TargetKinds.Deployment,
            Spec = spec,
            Provider = routers.ProviderOf(canary),
            Status = RolloutStatus.From(canary.Status),
            Lifecycle = lifecycle,
            Facts = facts,
            Requests = [.. pending.Select(ToControl)],
            Now = timeProvider.GetUtcNow(),
        };
        var outcome = await DecideAsync(canary, input, resources, cancellationToken).ConfigureAwait(false);

        // Actions first, checkpoint last: a crash in between repeats idempotent actions, never skips a step.
        var executor = new ActionExecutor(resources, hooks, events, alerts);
        var attempt = _unfinished.Begin(input.Uid, input.Status);
        var releaseFinalizer = false;
        foreach (var action in outcome.Actions)
        {
            switch (action)
            {
                case EmitEventAction or SendAlertAction:
                    if (attempt.ShouldTell(action))
                    {
                        await executor.ExecuteAsync(canary, action, cancellationToken).ConfigureAwait(false);
                        attempt.Told(action);
                    }

                    break;
                case AddFinalizerAction:
                    canary = await finalizers.AddAsync(canary, cancellationToken).ConfigureAwait(false);
                    break;
                case RemoveFinalizerAction:
                    // After the checkpoint: once released, the Canary may be gone before its status is written.
                    releaseFinalizer = true;
                    break;
                case SetConditionAction condition:
                    canary = await WriteConditionAsync(canary, condition.Type, condition.Status, condition.Reason, condition.Message, cancellationToken).ConfigureAwait(false);
                    break;
                default:
                    await executor.ExecuteAsync(canary, action, cancellationToken).ConfigureAwait(false);
                    break;
            }
        }

        if (outcome.Checkpoint && StatusMapper.NeedsWrite(canary.Status, outcome.NextStatus, canary.Metadata.Generation))
        {
            var now = timeProvider.GetUtcNow();
            var kind = input.TargetKind;
            canary = await statusWriter.WriteAsync(
                canary,
                latest => StatusMapper.Apply(latest.Status, outcome.NextStatus, now, latest.Metadata.Generation, kind),
                cancellationToken).ConfigureAwait(false);
        }

        if (releaseFinalizer)
        {
            await finalizers.RemoveAsync(canary, cancellationToken).ConfigureAwait(false);
        }

        _unfinished.Finished(input.Uid);
        await MarkHandledAsync(pending, outcome.Checkpoint ? outcome.NextStatus : input.Status, cancellationToken).ConfigureAwait(false);
        return outcome.RequeueAfter;
    }

    // After the checkpoint, so a crash in between finds the uid in status.controls and only marks the request.
    private async Task MarkHandledAsync(IReadOnlyList<CanaryRequest> pending, RolloutStatus status, CancellationToken cancellationToken)
    {
        foreach (var request in pending)
        {
            if (status.Controls.FirstOrDefault(c => c.Uid == request.Metadata.Uid) is { } record)
            {
                var result = new CanaryRequestStatus { Result = record.Result, Message = record.Message, HandledTime = record.HandledTime.UtcDateTime, CanaryPhase = status.Phase.ToString() };
                await controlRequests.MarkHandledAsync(request, result, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static ControlRequest ToControl(CanaryRequest request) => new(
        request.Metadata.Name,
        request.Metadata.Uid ?? request.Metadata.Name,
        request.Spec?.Action ?? string.Empty,
        request.Spec?.Force ?? false,
        request.Spec?.Reason,
        request.Metadata.CreationTimestamp is { } created ? new DateTimeOffset(DateTime.SpecifyKind(created, DateTimeKind.Utc)) : null);

    // A target that makes its own Services (a core Service) gets no generated apex/primary/canary Services.
    private IServiceRouter ServicesFor(ITarget target) => target is IOwnsServices owner ? owner.Services : services;

    private async Task<TickOutcome> DecideAsync(CanaryResource canary, TickInput input, TickResources resources, CancellationToken cancellationToken)
    {
        var answers = TickAnswers.None;
        while (true)
        {
            switch (RolloutDecider.Decide(input, answers))
            {
                case TickOutcome outcome:
                    return outcome;
                case NeedsAnswer need:
                    answers = answers.With(need.Question, await AnswerAsync(canary, input.Status.Phase, need.Question, resources, cancellationToken).ConfigureAwait(false));
                    break;
            }
        }
    }

    private Task<CheckOutcome> AnswerAsync(CanaryResource canary, CanaryPhase phase, Question question, TickResources resources, CancellationToken cancellationToken) => question switch
    {
        Question.RevertTarget => RevertAsync(canary, resources, cancellationToken),
        Question.MetricProviders => analysis.CheckProvidersAsync(canary, cancellationToken),
        Question.Metrics => analysis.AnalyzeAsync(canary, resources.Snapshot?.MetricRoutes, cancellationToken),
        Question.ConfirmRollout => hooks.RunAsync(canary, WebhookType.ConfirmRollout, phase, cancellationToken),
        Question.PreRollout => hooks.RunAsync(canary, WebhookType.PreRollout, CanaryPhase.Progressing, cancellationToken),
        Question.RolloutHooks => hooks.RunAsync(canary, WebhookType.Rollout, CanaryPhase.Progressing, cancellationToken),
        Question.ConfirmTrafficIncrease => hooks.RunAsync(canary, WebhookType.ConfirmTrafficIncrease, CanaryPhase.Progressing, cancellationToken),
        Question.ConfirmPromotion => hooks.RunAsync(canary, WebhookType.ConfirmPromotion, CanaryPhase.Progressing, cancellationToken),
        Question.RollbackHooks => hooks.RunAsync(canary, WebhookType.Rollback, phase, cancellationToken),
        _ => throw new InvalidOperationException($"unknown question {question}"),
    };

    private static async Task<CheckOutcome> RevertAsync(CanaryResource canary, TickResources resources, CancellationToken cancellationToken)
    {
        var target = resources.Target ?? throw new InvalidOperationException("revert asked without a target");
        try
        {
            var readiness = await target.RevertAsync(canary, cancellationToken).ConfigureAwait(false);
            return readiness.IsReady ? CheckOutcome.Pass : new CheckOutcome(CheckVerdict.Wait, [], [readiness.Message]);
        }
        catch (TargetException e)
        {
            return CheckOutcome.Fail(e.Message);
        }
    }

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
