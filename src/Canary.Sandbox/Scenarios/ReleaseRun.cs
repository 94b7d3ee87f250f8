using System.Globalization;

namespace Canary.Sandbox.Scenarios;

/// <summary>One release to run: a scenario under a policy, the n-th time, in its own namespace.</summary>
/// <param name="Scenario">What is released.</param>
/// <param name="Policy">How it is decided.</param>
/// <param name="Run">1-based run number.</param>
public sealed record ReleaseRun(Scenario Scenario, DecisionPolicy Policy, int Run)
{
    /// <summary><c>s-&lt;scenario&gt;-&lt;policy&gt;-&lt;run&gt;</c>.</summary>
    public string Namespace => $"s-{Scenario.Name}-{Policy.Name}-{Run.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Every scenario × policy × run, scenarios in order, then policies, then runs.</summary>
    public static IReadOnlyList<ReleaseRun> Plan(IReadOnlyList<Scenario> scenarios, IReadOnlyList<DecisionPolicy> policies, int runs)
    {
        ArgumentNullException.ThrowIfNull(scenarios);
        ArgumentNullException.ThrowIfNull(policies);
        return [.. from s in scenarios from p in policies from r in Enumerable.Range(1, runs) select new ReleaseRun(s, p, r)];
    }
}
