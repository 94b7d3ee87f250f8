using Canary.Api.Defaults;
using Canary.Api.V1Beta1;
using Canary.Rollout.StateMachine;

namespace Canary.Cli.Commands.Offline.Plan;

/// <summary>What the controller accepts in a Canary but probably does not do what its author meant.</summary>
internal static class PlanWarnings
{
    /// <summary>The warnings of <paramref name="spec"/>, given its effective values and the controller's plan for it.</summary>
    public static IReadOnlyList<string> For(CanarySpec spec, EffectiveCanary effective, RolloutPlan plan, string provider, string targetKind)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(effective);
        ArgumentNullException.ThrowIfNull(plan);
        var warnings = new List<string>();
        var analysis = spec.EffectiveAnalysis();
        if (effective.Suspend)
        {
            warnings.Add("suspend is true: the controller does nothing with this Canary until it is false; the timeline starts then");
        }

        if (analysis is null)
        {
            warnings.Add("no analysis: a new revision is promoted at once, without any check");
            return warnings;
        }

        if (effective.SkipAnalysis)
        {
            warnings.Add("skipAnalysis is true: a new revision is promoted at once, without any check");
            return warnings;
        }

        var metrics = analysis.Metrics?.Where(m => m is not null).ToList() ?? [];
        var webhooks = analysis.Webhooks?.Where(w => w is not null).ToList() ?? [];
        if (metrics.Count == 0 && !webhooks.Any(w => w.EffectiveType() == WebhookTypes.Rollout))
        {
            warnings.Add("no metrics and no rollout webhooks: nothing is checked, every step passes (only gates can hold the release)");
        }
        else if (plan.Threshold == 1)
        {
            warnings.Add(analysis.Threshold is > 0
                ? "threshold 1: one failed check rolls back"
                : "threshold not set: 1, one failed check rolls back");
        }

        warnings.AddRange(WindowWarnings(analysis, metrics, plan.Interval));
        warnings.AddRange(StrategyWarnings(analysis, effective, plan, provider, targetKind, webhooks));
        return warnings;
    }

    // A metric's query window against the time between two checks (absolute checks: the judge compares per traffic step).
    private static IEnumerable<string> WindowWarnings(CanaryAnalysis analysis, List<CanaryMetric> metrics, TimeSpan interval)
    {
        if (analysis.Judge is not null)
        {
            yield break;
        }

        foreach (var metric in metrics.Where(m => m.TemplateRef is not null || (string.IsNullOrEmpty(m.Query) && BuiltInMetrics.IsBuiltIn(m.Name))))
        {
            var window = metric.EffectiveInterval();
            var what = $"metric {metric.Name}: a {DurationText.Format(window)} window with a {DurationText.Format(interval)} interval";
            if (window > interval)
            {
                var times = window.Ticks / interval.Ticks;
                var exact = window.Ticks % interval.Ticks == 0;
                yield return exact
                    ? $"{what} double-counts: each sample is judged {times} times"
                    : $"{what} double-counts: each sample is judged up to {times + 1} times";
            }
            else if (window < interval)
            {
                yield return $"{what} leaves gaps: {DurationText.Format(interval - window)} of every {DurationText.Format(interval)} is never checked";
            }
        }
    }

    // What the provider or the target kind turns into something else than written.
    private static IEnumerable<string> StrategyWarnings(
        CanaryAnalysis analysis, EffectiveCanary effective, RolloutPlan plan, string provider, string targetKind, List<CanaryWebhook> webhooks)
    {
        var strategy = plan.Strategy.ToFlaggerName();
        var iterations = analysis.Iterations is > 0 ? string.Empty : " (the default when iterations is not set)";
        if (!plan.RoutesTraffic)
        {
            var unused = WeightFields(analysis).ToList();
            yield return unused.Count > 0
                ? $"provider {provider} cannot split traffic: {string.Join(", ", unused)} {(unused.Count == 1 ? "is" : "are")} not used; the release runs blue/green: {plan.Iterations} iterations{iterations}"
                : $"provider {provider} cannot split traffic: the release runs blue/green: {plan.Iterations} iterations{iterations}";
        }
        else if (effective.Analysis.Strategy == DeploymentStrategy.Canary && plan.Strategy == DeploymentStrategy.BlueGreen)
        {
            yield return $"a {TargetKinds.DisplayName(targetKind)} target takes no traffic weights: the release runs blue/green: {plan.Iterations} iterations{iterations}";
        }

        if (plan.Strategy != DeploymentStrategy.Canary)
        {
            foreach (var hook in webhooks.Where(w => w.EffectiveType() == WebhookTypes.ConfirmTrafficIncrease))
            {
                yield return $"webhook {hook.Name} (confirm-traffic-increase) is never called: the {strategy} strategy has no weight increases";
            }

            if (plan.RoutesTraffic && analysis.StepWeightPromotion is > 0)
            {
                yield return $"stepWeightPromotion is not used by the {strategy} strategy: all traffic goes back to the primary at once";
            }
        }
    }

    private static IEnumerable<string> WeightFields(CanaryAnalysis analysis)
    {
        if (analysis.StepWeight is > 0)
        {
            yield return "stepWeight";
        }

        if (analysis.StepWeights is { Count: > 0 })
        {
            yield return "stepWeights";
        }

        if (analysis.MaxWeight is > 0)
        {
            yield return "maxWeight";
        }

        if (analysis.StepWeightPromotion is > 0)
        {
            yield return "stepWeightPromotion";
        }
    }
}
