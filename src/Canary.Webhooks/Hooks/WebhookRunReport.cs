namespace Canary.Webhooks.Hooks;

/// <summary>Result of running every hook of one type for a Canary: the verdict, each call in order, and the call that decided.</summary>
public sealed record WebhookRunReport(WebhookType Type, CheckVerdict Verdict, IReadOnlyList<WebhookCall> Calls)
{
    /// <summary>The failing check, the gate that withheld approval or the rollback hook that fired; null when Passed.</summary>
    public WebhookCall? Decisive { get; init; }

    /// <summary>True when the deciding hook asked for its alert to be muted (muteAlert).</summary>
    public bool MuteAlert => Decisive?.Hook.MuteAlert == true;

    /// <summary>The calls that did not pass (for logs and events; rollback hooks' "no" answers are not failures).</summary>
    public IEnumerable<WebhookCall> Failures => Type == WebhookType.Rollback ? [] : Calls.Where(c => !c.Result.Passed);
}
