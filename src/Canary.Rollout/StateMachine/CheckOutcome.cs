namespace Canary.Rollout.StateMachine;

/// <summary>What a set of checks answered, in the terms the state machine acts on.</summary>
public enum CheckVerdict
{
    /// <summary>Everything passed (or there was nothing to check); for rollback hooks: nobody asked to roll back.</summary>
    Passed,

    /// <summary>A check failed: counts one failed check.</summary>
    Failed,

    /// <summary>A gate withheld approval: halt without a failed check.</summary>
    Wait,

    /// <summary>A rollback hook asked to abort.</summary>
    Rollback,
}

/// <summary>One hook call as reported in events.</summary>
/// <param name="Name">Hook name.</param>
/// <param name="Passed">True on 2xx.</param>
/// <param name="Reason">Why it failed ("" when passed).</param>
public sealed record HookCall(string Name, bool Passed, string Reason);

/// <summary>The answer to a <see cref="Question"/>.</summary>
/// <param name="Verdict">Aggregate verdict.</param>
/// <param name="Calls">Hook calls in order (empty for metrics).</param>
/// <param name="Messages">Failure messages of metric checks (Flagger-worded), or other detail.</param>
/// <param name="MuteAlert">The deciding hook asked for no alert.</param>
public sealed record CheckOutcome(CheckVerdict Verdict, IReadOnlyList<HookCall> Calls, IReadOnlyList<string> Messages, bool MuteAlert = false)
{
    /// <summary>Passed with nothing called.</summary>
    public static CheckOutcome Pass { get; } = new(CheckVerdict.Passed, [], []);

    /// <summary>Passed hooks.</summary>
    public static CheckOutcome PassedHooks(params string[] names) => new(CheckVerdict.Passed, [.. names.Select(n => new HookCall(n, true, string.Empty))], []);

    /// <summary>A failed check with messages.</summary>
    public static CheckOutcome Fail(params string[] messages) => new(CheckVerdict.Failed, [], messages);

    /// <summary>A hook that failed (checks) or withheld approval (gates, <paramref name="verdict"/> = Wait).</summary>
    public static CheckOutcome FailedHook(string name, string reason, CheckVerdict verdict = CheckVerdict.Failed, bool muteAlert = false) =>
        new(verdict, [new HookCall(name, false, reason)], [], muteAlert);

    /// <summary>The call that decided a non-passing verdict.</summary>
    public HookCall? Decisive => Verdict switch
    {
        CheckVerdict.Rollback => Calls.LastOrDefault(c => c.Passed),
        CheckVerdict.Passed => null,
        _ => Calls.LastOrDefault(c => !c.Passed),
    };
}
