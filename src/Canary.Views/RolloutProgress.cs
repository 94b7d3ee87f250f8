using System.Globalization;
using Canary.Api.Defaults;
using Canary.Api.V1Beta1;
using Canary.Rollout.StateMachine;
using CanaryResource = Canary.Api.V1Beta1.Canary;

namespace Canary.Views;

/// <summary>
/// Where a rollout stands against its plan, the plan computed as the controller computes it (effective spec,
/// provider and target kind through <see cref="RolloutPlan.For"/>): the canary strategy counts weight steps,
/// blue/green and A/B testing count iterations.
/// </summary>
/// <param name="Strategy">canary, blue-green or ab-testing.</param>
/// <param name="Phase">The phase as Flagger spells it ("" before the first reconcile).</param>
/// <param name="Paused">A pause control holds the release.</param>
/// <param name="Weight">status.canaryWeight.</param>
/// <param name="MaxWeight">The weight at which the canary is promoted (canary strategy).</param>
/// <param name="Current">The step (canary) or iteration (blue/green, A/B) reached.</param>
/// <param name="Total">Steps or iterations of the plan.</param>
/// <param name="FailedChecks">status.failedChecks.</param>
/// <param name="Threshold">Failed checks before rollback.</param>
public sealed record RolloutProgress(
    string Strategy, string Phase, bool Paused, int Weight, int MaxWeight, int Current, int Total, int FailedChecks, int Threshold)
{
    /// <summary>True for the canary strategy (weights); false for iterations.</summary>
    public bool CountsWeights => Strategy == DeploymentStrategy.Canary.ToFlaggerName();

    /// <summary>No rollout in progress: Initialized, Succeeded or Failed.</summary>
    public bool Idle => IsIdle(Phase);

    /// <summary>"2/5" during a rollout, "-" when idle.</summary>
    public string StepText => Idle || Phase.Length == 0 ? "-" : string.Create(CultureInfo.InvariantCulture, $"{Current}/{Total}");

    /// <summary>The phase, "(paused)" appended when a pause control holds it; "-" before the first reconcile.</summary>
    public string PhaseText => (Phase.Length == 0 ? "-" : Phase) + (Paused ? " (paused)" : string.Empty);

    /// <summary>"1/5".</summary>
    public string FailedText => string.Create(CultureInfo.InvariantCulture, $"{FailedChecks}/{Threshold}");

    /// <summary>"weight 20% (step 2/5)" or "iteration 3/10".</summary>
    public string ProgressText => CountsWeights
        ? string.Create(CultureInfo.InvariantCulture, $"weight {Weight}%") + (StepText == "-" ? string.Empty : $" (step {StepText})")
        : string.Create(CultureInfo.InvariantCulture, $"iteration {Current}/{Total}");

    /// <summary>Whether a phase ends a rollout (or means none is running).</summary>
    public static bool IsIdle(string phase) => phase is nameof(CanaryPhase.Initialized) or nameof(CanaryPhase.Succeeded) or nameof(CanaryPhase.Failed);

    /// <summary>The progress of <paramref name="canary"/>.</summary>
    public static RolloutProgress Of(CanaryResource canary)
    {
        ArgumentNullException.ThrowIfNull(canary);
        var status = canary.Status ?? new CanaryStatus();
        var plan = PlanOf(canary.Spec);
        var weight = status.CanaryWeight ?? 0;
        var counted = plan.Strategy == DeploymentStrategy.Canary;
        var current = counted ? (weight <= 0 ? 0 : plan.StepWeights.Count(w => w <= weight)) : status.Iterations ?? 0;
        var total = counted ? plan.StepWeights.Count : plan.Iterations;
        return new RolloutProgress(
            plan.Strategy.ToFlaggerName(), PhaseName(status.Phase), status.Paused == true, weight, plan.MaxWeight, current, total,
            status.FailedChecks ?? 0, plan.Threshold);
    }

    /// <summary>The controller's plan for <paramref name="spec"/> (provider: spec.provider; the controller's default is not known here).</summary>
    public static RolloutPlan PlanOf(CanarySpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var provider = spec.Provider ?? string.Empty;
        return RolloutPlan.For(CanaryDefaults.Resolve(spec), provider, TargetKinds.KeyOf(spec.TargetRef));
    }

    /// <summary>Flagger's spelling of a phase ("" for none).</summary>
    public static string PhaseName(CanaryPhase? phase) => phase is null or CanaryPhase.None ? string.Empty : phase.Value.ToString();
}
