namespace Canary.Sandbox.Scenarios;

/// <summary>How one <see cref="ReleaseRun"/> ended.</summary>
/// <param name="Run">The run.</param>
/// <param name="Decision">Promote (Succeeded) or Rollback (Failed); null when undecided at the deadline.</param>
/// <param name="DecisionTime">Scenario time from the release to the decision (to the deadline when undecided).</param>
/// <param name="Requests">Requests answered to clients from the release to the decision.</param>
/// <param name="FailedRequests">Of those, answered with a 5xx.</param>
/// <param name="Reason">A rollback: the message of the last failed check kept in the Canary's status, if any.</param>
public sealed record RunOutcome(ReleaseRun Run, Verdict? Decision, TimeSpan DecisionTime, long Requests, long FailedRequests, string? Reason = null)
{
    /// <summary>Decided as the scenario expects.</summary>
    public bool Correct => Decision == Run.Scenario.Expect;

    /// <summary>A good release rolled back.</summary>
    public bool FalseRollback => Run.Scenario.Expect == Verdict.Promote && Decision == Verdict.Rollback;

    /// <summary>A bad release promoted.</summary>
    public bool MissedBadRelease => Run.Scenario.Expect == Verdict.Rollback && Decision == Verdict.Promote;

    /// <summary>No decision before the deadline.</summary>
    public bool Undecided => Decision is null;
}
