using Canary.Api.V1Beta1;
using Canary.Rollout.StateMachine;
using Canary.Webhooks.Hooks;

namespace Canary.Rollout.Engine;

/// <summary>Runs the webhooks of one type for a Canary and reports them in the state machine's terms.</summary>
public interface IHookGate
{
    /// <summary>Runs every <paramref name="type"/> hook with <paramref name="phase"/> in the payload.</summary>
    Task<CheckOutcome> RunAsync(CanaryResource canary, WebhookType type, CanaryPhase phase, CancellationToken cancellationToken);
}

/// <summary><see cref="IHookGate"/> over the Webhooks project's <see cref="WebhookRunner"/>.</summary>
public sealed class WebhookRunnerGate(WebhookRunner runner) : IHookGate
{
    /// <inheritdoc />
    public async Task<CheckOutcome> RunAsync(CanaryResource canary, WebhookType type, CanaryPhase phase, CancellationToken cancellationToken)
    {
        var report = await runner.RunAsync(canary, type, phase, cancellationToken).ConfigureAwait(false);
        return new CheckOutcome(report.Verdict, report.Calls, [], report.MuteAlert);
    }
}
