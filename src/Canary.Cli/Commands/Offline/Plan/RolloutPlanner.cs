using System.Text.Json.Nodes;
using Canary.Api.Defaults;
using Canary.Api.Serialization;
using Canary.Api.V1Beta1;
using Canary.Api.Vocabulary;
using Canary.Cli.Commands.Offline.Documents;
using Canary.Rollout.Engine;
using Canary.Rollout.StateMachine;
using CanaryResource = Canary.Api.V1Beta1.Canary;

namespace Canary.Cli.Commands.Offline.Plan;

/// <summary>
/// Plans one Canary document: the controller's validation first, then its defaults (<see cref="CanaryDefaults"/>), its
/// plan (<see cref="RolloutPlan"/>) and its state machine (<see cref="RolloutDecider"/>, through
/// <see cref="RolloutSimulator"/>) give the earliest timeline, the promotion time and how soon a bad release is rolled back.
/// </summary>
internal static class RolloutPlanner
{
    private static readonly (string Type, Question Question, string Role)[] HookTypes =
    [
        (WebhookTypes.ConfirmRollout, Question.ConfirmRollout, "gate: the release starts once it answers 2xx"),
        (WebhookTypes.PreRollout, Question.PreRollout, "check before any traffic: a failure counts as a failed check"),
        (WebhookTypes.Rollback, Question.RollbackHooks, "asked at every analysis tick: a 2xx rolls back at once"),
        (WebhookTypes.Rollout, Question.RolloutHooks, "check at every analysis tick: a failure counts as a failed check"),
        (WebhookTypes.ConfirmTrafficIncrease, Question.ConfirmTrafficIncrease, "gate: each weight increase waits for a 2xx"),
        (WebhookTypes.ConfirmPromotion, Question.ConfirmPromotion, "gate: the promotion waits for a 2xx"),
    ];

    /// <summary>The plan of <paramref name="document"/> (a Canary) for a controller whose default provider is <paramref name="meshProvider"/>.</summary>
    public static CanaryPlan For(ManifestDocument document, string meshProvider)
    {
        ArgumentNullException.ThrowIfNull(document);
        var support = ControllerSupport.For(meshProvider);
        var node = document.Node as JsonObject ?? [];
        var plan = new CanaryPlan
        {
            File = document.Source,
            Document = document.Index,
            Name = document.Name ?? string.Empty,
            Namespace = (node["metadata"] as JsonObject)?["namespace"] is JsonValue ns && ns.TryGetValue<string>(out var text) ? text : "default",
        };
        var errors = ApiObjects.Validate(document, support);
        if (errors.Count > 0 || ApiObjects.Read<CanaryResource>(node, out _) is not { } canary)
        {
            return plan with { Errors = [.. errors.Select(e => new PlanError(e.Path, e.Message))] };
        }

        var spec = CanaryDefaults.Resolve(canary.Spec);
        var provider = string.IsNullOrEmpty(canary.Spec.Provider) ? meshProvider : canary.Spec.Provider;
        var targetKind = TargetKinds.KeyOf(canary.Spec.TargetRef);
        var rollout = RolloutPlan.For(spec, provider, targetKind);
        var analysis = canary.Spec.EffectiveAnalysis();
        var webhooks = analysis?.Webhooks?.Where(w => w is not null).ToList() ?? [];
        var metrics = analysis?.Metrics?.Where(m => m is not null).ToList() ?? [];

        // Suspension freezes everything; the plan is the one that runs once it is lifted.
        var simulator = new RolloutSimulator(plan.Name, plan.Namespace, spec with { Suspend = false }, provider, targetKind);
        var happy = simulator.Run((_, question) => Pass(question, webhooks));
        var steps = happy.Select(t => Step(t, rollout, webhooks, metrics)).ToList();

        return plan with
        {
            Provider = provider,
            ProviderFrom = string.IsNullOrEmpty(canary.Spec.Provider) ? "--mesh-provider" : "spec.provider",
            TargetKind = targetKind,
            Target = $"{targetKind}/{canary.Spec.TargetRef?.Name}",
            Strategy = rollout.Strategy.ToFlaggerName(),
            RoutesTraffic = rollout.RoutesTraffic,
            SkipAnalysis = spec.SkipAnalysis,
            Interval = DurationText.Format(rollout.Interval),
            Threshold = rollout.Threshold,
            StepWeights = rollout.Strategy == DeploymentStrategy.Canary ? rollout.StepWeights : null,
            Iterations = rollout.Strategy == DeploymentStrategy.Canary ? null : rollout.Iterations,
            Mirror = rollout.Mirror,
            StepWeightPromotion = rollout.Strategy == DeploymentStrategy.Canary ? rollout.StepWeightPromotion : 0,
            Metrics = [.. metrics.Select(Metric)],
            Webhooks = [.. webhooks.Select(w => Webhook(w, happy))],
            Steps = steps,
            Promotion = Promotion(happy),
            Rollback = Rollback(simulator, happy, spec, webhooks, metrics),
            Warnings = PlanWarnings.For(canary.Spec, spec, rollout, provider, targetKind),
        };
    }

    // Every gate opens and every check passes at once: the earliest timeline.
    private static CheckOutcome Pass(Question question, List<CanaryWebhook> webhooks)
    {
        var type = HookTypes.FirstOrDefault(h => h.Question == question).Type;
        return type is null || question == Question.RollbackHooks
            ? CheckOutcome.Pass
            : CheckOutcome.PassedHooks([.. webhooks.Where(w => w.EffectiveType() == type).Select(w => w.Name ?? string.Empty)]);
    }

    private static PlanStep Step(SimulatedTick tick, RolloutPlan rollout, List<CanaryWebhook> webhooks, List<CanaryMetric> metrics)
    {
        var status = tick.Outcome.NextStatus;
        var runs = new List<string>();
        foreach (var question in tick.Asked)
        {
            if (question == Question.Metrics && metrics.Count > 0)
            {
                runs.Add("metrics: " + string.Join(", ", metrics.Select(m => m.Name)));
            }
            else if (HookTypes.FirstOrDefault(h => h.Question == question).Type is { } type && Names(webhooks, type) is { Length: > 0 } names)
            {
                runs.Add($"{type}: {names}");
            }
        }

        if (tick.Outcome.Actions.OfType<RunHooksAction>().Any(a => a.Type == WebhookType.PostRollout) && Names(webhooks, WebhookTypes.PostRollout) is { Length: > 0 } post)
        {
            runs.Add($"{WebhookTypes.PostRollout}: {post}");
        }

        var canaryStrategy = rollout.Strategy == DeploymentStrategy.Canary;
        return new PlanStep(
            DurationText.Format(tick.At),
            tick.At.TotalSeconds,
            KubernetesEnumNames.NameOf(tick.Phase),
            canaryStrategy ? status.CanaryWeight : null,
            // After the last iteration the status counts one more for the switch to the canary: not an iteration.
            canaryStrategy ? null : Math.Min(status.Iterations, rollout.Iterations),
            tick.Routes.PrimaryWeight,
            tick.Routes.CanaryWeight,
            tick.Routes.Mirrored,
            runs,
            [.. tick.Outcome.Events.Select(e => e.Message)]);
    }

    private static string Names(List<CanaryWebhook> webhooks, string type) =>
        string.Join(", ", webhooks.Where(w => w.EffectiveType() == type).Select(w => w.Name));

    private static PlanMetric Metric(CanaryMetric metric) => new(
        metric.Name ?? string.Empty,
        DurationText.Format(metric.EffectiveInterval()),
        metric.TemplateRef is { } template ? $"template {(string.IsNullOrEmpty(template.Namespace) ? string.Empty : template.Namespace + "/")}{template.Name}"
            : !string.IsNullOrEmpty(metric.Query) ? "query"
            : BuiltInMetrics.IsBuiltIn(metric.Name) ? "built-in"
            : "unknown");

    private static PlanWebhook Webhook(CanaryWebhook webhook, IReadOnlyList<SimulatedTick> ticks)
    {
        var type = webhook.EffectiveType();
        IEnumerable<SimulatedTick> calls;
        string role;
        if (type == WebhookTypes.PostRollout)
        {
            calls = ticks.Where(t => t.Outcome.Actions.OfType<RunHooksAction>().Any(a => a.Type == WebhookType.PostRollout));
            role = "notification after the promotion or the rollback";
        }
        else if (type == WebhookTypes.Event)
        {
            calls = [];
            role = "receives every Event of the rollout";
        }
        else
        {
            var hook = HookTypes.First(h => h.Type == type);
            calls = ticks.Where(t => t.Asked.Contains(hook.Question));
            role = hook.Role;
        }

        return new PlanWebhook(webhook.Name ?? string.Empty, type, [.. calls.Select(t => DurationText.Format(t.At))], role);
    }

    private static PlanPromotion? Promotion(IReadOnlyList<SimulatedTick> ticks)
    {
        var promoted = ticks.FirstOrDefault(t => t.Outcome.Actions.OfType<PromoteAction>().Any());
        var succeeded = ticks.FirstOrDefault(t => t.Phase == CanaryPhase.Succeeded);
        if (promoted is null || succeeded is null)
        {
            return null;
        }

        var primary = ticks.First(t => t.Index >= promoted.Index && t.Phase is CanaryPhase.Finalising or CanaryPhase.Succeeded);
        return new PlanPromotion(DurationText.Format(promoted.At), DurationText.Format(primary.At), DurationText.Format(succeeded.At));
    }

    // Checks failing from the first analysis tick on give the time from a first failed check to the rollback; failing from
    // the last one on, the latest rollback from the start. Both through the state machine, as the timeline.
    private static PlanRollback Rollback(
        RolloutSimulator simulator, IReadOnlyList<SimulatedTick> happy, EffectiveCanary spec, List<CanaryWebhook> webhooks, List<CanaryMetric> metrics)
    {
        var deadline = spec.ProgressDeadline;
        var checkedTicks = happy.Where(t => t.Asked.Contains(Question.Metrics)).Select(t => t.Index).ToList();
        var checks = metrics.Count > 0 || webhooks.Any(w => w.EffectiveType() == WebhookTypes.Rollout);
        if (spec.SkipAnalysis || !checks || checkedTicks.Count == 0)
        {
            return new PlanRollback(spec.Analysis.Threshold, null, DurationText.Format(deadline), null, null);
        }

        var fromFirst = RollbackAfter(simulator, webhooks, checkedTicks[0]);
        var fromLast = RollbackAfter(simulator, webhooks, checkedTicks[^1]);
        return new PlanRollback(
            spec.Analysis.Threshold,
            fromFirst is { } first ? DurationText.Format(first.Rollback - first.FirstFailure) : null,
            DurationText.Format(deadline),
            fromFirst is { } worst ? DurationText.Format(worst.Rollback - worst.FirstFailure + deadline) : null,
            fromLast is { } last ? DurationText.Format(last.Rollback) : null);
    }

    private static (TimeSpan FirstFailure, TimeSpan Rollback)? RollbackAfter(RolloutSimulator simulator, List<CanaryWebhook> webhooks, int failingFrom)
    {
        var ticks = simulator.Run((index, question) => question == Question.Metrics && index >= failingFrom
            ? CheckOutcome.Fail("simulated failed check")
            : Pass(question, webhooks));
        var rolledBack = ticks.FirstOrDefault(t => t.Phase == CanaryPhase.Failed);
        return rolledBack is null || failingFrom >= ticks.Count ? null : (ticks[failingFrom].At, rolledBack.At);
    }
}
