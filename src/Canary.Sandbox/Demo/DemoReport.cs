using Canary.Api.V1Beta1;

namespace Canary.Sandbox.Demo;

/// <summary>How one step of the story ended.</summary>
public enum StepOutcome
{
    /// <summary>The Canary was initialised: primary created, all traffic on it.</summary>
    Initialized,

    /// <summary>The release was promoted to the primary.</summary>
    Promoted,

    /// <summary>The analysis failed and traffic went back to the primary.</summary>
    RolledBack,

    /// <summary>The step did not end within its timeout.</summary>
    TimedOut,
}

/// <summary>What the story saw during one step (install or a release).</summary>
/// <param name="Name">install, v2, v3, v4.</param>
/// <param name="Change">What the step changed, in words.</param>
/// <param name="Expected">Outcome the story expects.</param>
/// <param name="Actual">Outcome observed.</param>
/// <param name="Weights">Canary weights in the order they were seen, each change once (starts at the weight before the step).</param>
/// <param name="Iterations">Blue/green iterations in the order they were seen.</param>
/// <param name="Phases">Phases in the order they were seen.</param>
/// <param name="MaxFailedChecks">Highest <c>status.failedChecks</c> seen.</param>
/// <param name="Warnings">The controller's Warning events of the step (failed checks, rollback), in order, each text once.</param>
/// <param name="CanaryWorst">Lowest success rate and highest p99 of the canary's pods while it was under analysis.</param>
/// <param name="PrimaryLast">The primary's numbers at the end of the step.</param>
/// <param name="Duration">Time from the change to the outcome.</param>
/// <param name="Checks">The metric checks the controller recorded during the step (status.checks), in order.</param>
public sealed record StepReport(
    string Name,
    string Change,
    StepOutcome Expected,
    StepOutcome Actual,
    IReadOnlyList<int> Weights,
    IReadOnlyList<int> Iterations,
    IReadOnlyList<CanaryPhase> Phases,
    int MaxFailedChecks,
    IReadOnlyList<string> Warnings,
    WorkloadMetrics CanaryWorst,
    WorkloadMetrics PrimaryLast,
    TimeSpan Duration,
    IReadOnlyList<CanaryCheck> Checks)
{
    /// <summary>True when the step ended as the story expects.</summary>
    public bool AsExpected => Expected == Actual;
}

/// <summary>The whole story's outcome: one <see cref="StepReport"/> per step.</summary>
/// <param name="Provider">Traffic provider used.</param>
/// <param name="BlueGreen">True when releases used blue/green iterations.</param>
/// <param name="Steps">install, v2, v3, v4 (fewer if the story stopped early).</param>
/// <param name="Duration">Wall time of the story.</param>
/// <param name="Error">Why the story stopped early, or null.</param>
public sealed record DemoReport(string Provider, bool BlueGreen, IReadOnlyList<StepReport> Steps, TimeSpan Duration, string? Error = null)
{
    /// <summary>Number of steps of the full story.</summary>
    public const int StoryLength = 4;

    /// <summary>True when every step ran and ended as expected.</summary>
    public bool Succeeded => Error is null && Steps.Count == StoryLength && Steps.All(s => s.AsExpected);

    /// <summary>The step named <paramref name="name"/>.</summary>
    public StepReport Step(string name) => Steps.Single(s => s.Name == name);
}
