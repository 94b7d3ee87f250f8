using System.Globalization;

namespace Canary.Sandbox.Scenarios;

/// <summary>One release to run: a scenario under a policy, the n-th time, in its own namespace.</summary>
/// <param name="Scenario">What is released.</param>
/// <param name="Policy">How it is decided.</param>
/// <param name="Run">1-based run number.</param>
public sealed record ReleaseRun(Scenario Scenario, DecisionPolicy Policy, int Run)
{
    /// <summary>
    /// Seed of this run's simulated traffic, derived from the benchmark's <c>--seed</c>, the scenario and the run number:
    /// a run's traffic does not depend on what else runs beside it, and the same run sees the same draws under each policy.
    /// </summary>
    public int Seed { get; init; }

    /// <summary><c>s-&lt;scenario&gt;-&lt;policy&gt;-&lt;run&gt;</c>.</summary>
    public string Namespace => $"s-{Scenario.Name}-{Policy.Name}-{Run.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Every scenario × policy × run, scenarios in order, then policies, then runs.</summary>
    public static IReadOnlyList<ReleaseRun> Plan(IReadOnlyList<Scenario> scenarios, IReadOnlyList<DecisionPolicy> policies, int runs, int seed = 1)
    {
        ArgumentNullException.ThrowIfNull(scenarios);
        ArgumentNullException.ThrowIfNull(policies);
        return [.. from s in scenarios from p in policies from r in Enumerable.Range(1, runs) select WithSeed(new ReleaseRun(s, p, r), seed)];
    }

    // The same scenario and run number get the same traffic under every policy: the policies are compared on equal draws.
    private static ReleaseRun WithSeed(ReleaseRun run, int seed)
    {
        var hash = 2166136261u ^ (uint)seed;
        foreach (var c in $"{run.Scenario.Name}/{run.Run.ToString(CultureInfo.InvariantCulture)}")
        {
            hash = (hash ^ c) * 16777619u;
        }

        return run with { Seed = (int)hash };
    }
}
