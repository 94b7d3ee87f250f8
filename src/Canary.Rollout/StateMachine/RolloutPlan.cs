using Canary.Providers.Registry;
using Canary.Api.Defaults;
using Canary.Rollout.Targets;

namespace Canary.Rollout.StateMachine;

/// <summary>
/// How this Canary is rolled out once the provider's and the target kind's abilities are taken into account: the kubernetes
/// provider cannot split traffic, so it always runs blue/green (10 iterations unless set), as Flagger does; a target kind
/// that takes no weights (DaemonSet) turns the canary strategy into blue/green too.
/// </summary>
/// <param name="Strategy">Effective strategy.</param>
/// <param name="StepWeights">Canary weights of successive steps.</param>
/// <param name="MaxWeight">Weight at which the canary is promoted.</param>
/// <param name="Iterations">Iterations of A/B testing or blue/green.</param>
/// <param name="Mirror">Mirror traffic before shifting it (not with the kubernetes provider).</param>
/// <param name="StepWeightPromotion">Primary weight step during promotion (canary strategy); 0 = at once.</param>
/// <param name="Threshold">Failed checks before rollback.</param>
/// <param name="Interval">Time between ticks.</param>
/// <param name="RoutesTraffic">False for the kubernetes provider, which cannot move traffic.</param>
public sealed record RolloutPlan(
    DeploymentStrategy Strategy,
    IReadOnlyList<int> StepWeights,
    int MaxWeight,
    int Iterations,
    bool Mirror,
    int StepWeightPromotion,
    int Threshold,
    TimeSpan Interval,
    bool RoutesTraffic)
{
    /// <summary>Iterations forced on a switch-only provider when none are set (Flagger's value).</summary>
    public const int KubernetesDefaultIterations = 10;

    /// <summary>
    /// The plan for <paramref name="spec"/> routed by <paramref name="provider"/>. A target kind that takes no weights
    /// (<see cref="TargetKindEntry.SupportsWeights"/>, DaemonSet) turns the canary strategy into blue/green (iterations,
    /// then all traffic at once); A/B testing and blue/green stay as they are.
    /// </summary>
    public static RolloutPlan For(EffectiveCanary spec, string provider, string? targetKind = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var analysis = spec.Analysis;
        // A provider that can only switch (kubernetes) runs blue/green whatever the spec says, as Flagger.
        if (TrafficProviderRegistry.Default.Find(provider) is { Capabilities.SplitsTraffic: false })
        {
            var iterations = analysis.Iterations > 0 ? analysis.Iterations : KubernetesDefaultIterations;
            return new RolloutPlan(DeploymentStrategy.BlueGreen, [], 0, iterations, false, 0, analysis.Threshold, analysis.Interval, RoutesTraffic: false);
        }

        if (analysis.Strategy == DeploymentStrategy.Canary && TargetRegistry.Find(targetKind) is { SupportsWeights: false })
        {
            var iterations = analysis.Iterations > 0 ? analysis.Iterations : KubernetesDefaultIterations;
            return new RolloutPlan(DeploymentStrategy.BlueGreen, [], 0, iterations, analysis.Mirror, 0, analysis.Threshold, analysis.Interval, RoutesTraffic: true);
        }

        var steps = analysis.StepWeights.Count > 0 ? analysis.StepWeights : [analysis.MaxWeight];
        return new RolloutPlan(
            analysis.Strategy, steps, analysis.MaxWeight, analysis.Iterations, analysis.Mirror, analysis.StepWeightPromotion,
            analysis.Threshold, analysis.Interval, RoutesTraffic: true);
    }

    /// <summary>Canary weight of the step after <paramref name="currentWeight"/>, or null when the max weight is reached.</summary>
    public int? NextWeight(int currentWeight)
    {
        if (currentWeight >= MaxWeight)
        {
            return null;
        }

        foreach (var weight in StepWeights)
        {
            if (weight > currentWeight)
            {
                return Math.Min(weight, 100);
            }
        }

        // The current weight is beyond every listed step but under max (e.g. the spec changed mid-run): finish at max.
        return MaxWeight;
    }
}
