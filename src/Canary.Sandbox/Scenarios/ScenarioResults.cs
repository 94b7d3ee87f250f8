namespace Canary.Sandbox.Scenarios;

/// <summary>The outcomes of one scenario under one policy, summed over its runs.</summary>
/// <param name="Scenario">The scenario.</param>
/// <param name="Policy">The policy.</param>
/// <param name="Outcomes">One per run.</param>
public sealed record ScenarioRow(Scenario Scenario, DecisionPolicy Policy, IReadOnlyList<RunOutcome> Outcomes)
{
    /// <summary>Runs.</summary>
    public int Runs => Outcomes.Count;

    /// <summary>Runs decided as expected.</summary>
    public int Correct => Outcomes.Count(o => o.Correct);

    /// <summary>Good releases rolled back.</summary>
    public int FalseRollbacks => Outcomes.Count(o => o.FalseRollback);

    /// <summary>Bad releases promoted.</summary>
    public int MissedBadReleases => Outcomes.Count(o => o.MissedBadRelease);

    /// <summary>Runs without a decision before the deadline.</summary>
    public int Undecided => Outcomes.Count(o => o.Undecided);

    /// <summary>Median scenario time to a decision over the decided runs, or null when none was decided.</summary>
    public TimeSpan? MedianDecisionTime => Median([.. Outcomes.Where(o => !o.Undecided).Select(o => o.DecisionTime).Order()]);

    /// <summary>Longest scenario time to a decision over the decided runs, or null when none was decided.</summary>
    public TimeSpan? WorstDecisionTime => Outcomes.Where(o => !o.Undecided).Select(o => (TimeSpan?)o.DecisionTime).Max();

    /// <summary>5xx answered to clients from the releases to their decisions, over every run.</summary>
    public long FailedRequests => Outcomes.Sum(o => o.FailedRequests);

    /// <summary>Requests answered to clients from the releases to their decisions, over every run.</summary>
    public long Requests => Outcomes.Sum(o => o.Requests);

    private static TimeSpan? Median(List<TimeSpan> sorted) => sorted.Count == 0
        ? null
        : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
}

/// <summary>Totals of one policy over every scenario.</summary>
/// <param name="Policy">Policy name.</param>
/// <param name="Runs">Runs.</param>
/// <param name="Correct">Correct verdicts.</param>
/// <param name="FalseRollbacks">Good releases rolled back.</param>
/// <param name="MissedBadReleases">Bad releases promoted.</param>
/// <param name="Undecided">Runs without a decision.</param>
/// <param name="FailedRequestsInBadReleases">5xx served to clients during the releases of scenarios expecting a rollback.</param>
public sealed record PolicyTotals(string Policy, int Runs, int Correct, int FalseRollbacks, int MissedBadReleases, int Undecided, long FailedRequestsInBadReleases);

/// <summary>Every outcome of a benchmark run, grouped per scenario and policy, with per-policy totals.</summary>
public sealed class ScenarioResults
{
    /// <summary>Groups <paramref name="outcomes"/> (in plan order) into rows.</summary>
    public ScenarioResults(IReadOnlyList<RunOutcome> outcomes, TimeScale scale, TimeSpan wallTime)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        Outcomes = outcomes;
        Scale = scale;
        WallTime = wallTime;
        Rows = [.. outcomes
            .GroupBy(o => (o.Run.Scenario.Name, o.Run.Policy.Name))
            .Select(g => new ScenarioRow(g.First().Run.Scenario, g.First().Run.Policy, [.. g.OrderBy(o => o.Run.Run)]))];
        Totals = [.. Rows
            .GroupBy(r => r.Policy.Name)
            .Select(g => new PolicyTotals(
                g.Key,
                g.Sum(r => r.Runs),
                g.Sum(r => r.Correct),
                g.Sum(r => r.FalseRollbacks),
                g.Sum(r => r.MissedBadReleases),
                g.Sum(r => r.Undecided),
                g.Where(r => r.Scenario.Expect == Verdict.Rollback).Sum(r => r.FailedRequests)))];
    }

    /// <summary>Every run's outcome.</summary>
    public IReadOnlyList<RunOutcome> Outcomes { get; }

    /// <summary>The time scale used.</summary>
    public TimeScale Scale { get; }

    /// <summary>Wall-clock time of the whole benchmark, sandbox start included.</summary>
    public TimeSpan WallTime { get; }

    /// <summary>One row per scenario and policy, scenarios in order.</summary>
    public IReadOnlyList<ScenarioRow> Rows { get; }

    /// <summary>One line per policy.</summary>
    public IReadOnlyList<PolicyTotals> Totals { get; }

    /// <summary>
    /// 5xx served during bad releases under flagger divided by those under judge (how many times more failed requests
    /// Flagger's policy lets through); null unless both ran and the judge's count is above zero.
    /// </summary>
    public double? FailedServedRatio
    {
        get
        {
            var flagger = Totals.FirstOrDefault(t => t.Policy == DecisionPolicies.Flagger.Name);
            var judge = Totals.FirstOrDefault(t => t.Policy == DecisionPolicies.Judge.Name);
            return flagger is null || judge is null || judge.FailedRequestsInBadReleases == 0
                ? null
                : (double)flagger.FailedRequestsInBadReleases / judge.FailedRequestsInBadReleases;
        }
    }
}
