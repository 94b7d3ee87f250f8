using Canary.Api.V1Beta1;

namespace Canary.Rollout.StateMachine;

/// <summary>
/// The CanaryRequests not yet acted on, oldest first: each is accepted (its effect lands in the status, or for abort the
/// rollback runs now) or refused (nothing changes), recorded in status.controls by uid so it is acted on once, and told in
/// an Event. Abort ends the tick with the rollback; requests after it wait for the next tick.
/// </summary>
internal static class ControlStep
{
    private static bool InRelease(CanaryPhase phase) => phase is CanaryPhase.Progressing or CanaryPhase.WaitingPromotion or CanaryPhase.Waiting;

    /// <summary>A decision when a control ends the tick (abort), null to go on with the phase's step.</summary>
    public static Decision? Run(TickContext tick)
    {
        foreach (var request in tick.Input.Requests)
        {
            if (tick.Status.Controls.Any(c => c.Uid == request.Uid))
            {
                continue;
            }

            var phase = tick.Status.Phase;
            var weight = tick.Status.CanaryWeight;
            if (request.Force && request.Action != CanaryControls.Promote)
            {
                Refuse(tick, request, $"force applies to promote only (spec.force with action {request.Action})");
                continue;
            }

            switch (request.Action)
            {
                case CanaryControls.Promote when phase is CanaryPhase.Progressing or CanaryPhase.WaitingPromotion:
                    var mode = request.Force ? CanaryControls.PromotionForced : CanaryControls.PromotionGated;
                    tick.Status = tick.Status with { RequestedPromotion = mode, Paused = false };
                    Accept(tick, request, request.Force
                        ? "the remaining steps are skipped and the canary promoted without the confirm-promotion gates"
                        : "the remaining steps are skipped; the confirm-promotion gates decide the promotion");
                    break;
                case CanaryControls.Promote:
                    Refuse(tick, request, $"no release in progress to promote (phase {phase})");
                    break;
                case CanaryControls.Abort when InRelease(phase):
                    tick.Status = tick.Status with { Paused = false, RequestedPromotion = null, SkipAnalysisOnce = false };
                    Accept(tick, request, $"rolling back at weight {weight}");
                    tick.Alert(AlertSeverity.Warn, $"Rolled back on request {request.Name}{Because(request)}");
                    return RollbackStep.Run(tick);
                case CanaryControls.Abort:
                    Refuse(tick, request, phase is CanaryPhase.Promoting or CanaryPhase.Finalising
                        ? $"the promotion is under way (phase {phase}): too late to abort"
                        : $"no release in progress to abort (phase {phase})");
                    break;
                case CanaryControls.Pause when tick.Status.Paused:
                    Refuse(tick, request, "already paused");
                    break;
                case CanaryControls.Pause:
                    tick.Status = tick.Status with { Paused = true };
                    Accept(tick, request, InRelease(phase) ? $"holding at weight {weight} until resumed" : "the next release will hold at weight 0 until resumed");
                    break;
                case CanaryControls.Resume when tick.Status.Paused:
                    tick.Status = tick.Status with { Paused = false };
                    Accept(tick, request, InRelease(phase) ? $"advancing again from weight {weight}" : "no longer paused");
                    break;
                case CanaryControls.Resume:
                    Refuse(tick, request, "not paused");
                    break;
                case CanaryControls.Retry when phase == CanaryPhase.Failed:
                    tick.Status = tick.Status with { RetryRequested = true };
                    Accept(tick, request, "a new analysis of the failed revision starts");
                    break;
                case CanaryControls.Retry:
                    Refuse(tick, request, $"only a failed release can be retried (phase {phase})");
                    break;
                case CanaryControls.SkipAnalysis when phase is CanaryPhase.Promoting or CanaryPhase.Finalising:
                    Refuse(tick, request, $"the promotion is under way (phase {phase})");
                    break;
                case CanaryControls.SkipAnalysis:
                    tick.Status = tick.Status with { SkipAnalysisOnce = true };
                    Accept(tick, request, InRelease(phase)
                        ? "this release is promoted without analysis"
                        : "the next release is promoted without analysis");
                    break;
                default:
                    Refuse(tick, request, $"unknown action \"{request.Action}\" (spec.action): use one of {string.Join(", ", CanaryControls.All)}");
                    break;
            }
        }

        return null;
    }

    private static void Accept(TickContext tick, ControlRequest request, string message)
    {
        Record(tick, request, CanaryControls.Accepted, message);
        tick.Normal($"{Describe(request)} accepted: {message}", tick.Phase);
    }

    private static void Refuse(TickContext tick, ControlRequest request, string message)
    {
        Record(tick, request, CanaryControls.Refused, message);
        tick.Warning($"{Describe(request)} refused: {message}", tick.Phase);
    }

    // "pause requested by podinfo-pause-x2k4f (reason: database migration)": what was asked, by which request, and why.
    private static string Describe(ControlRequest request) =>
        $"{(request.Force ? $"{request.Action} --force" : request.Action)} requested by {request.Name}{Because(request)}";

    private static string Because(ControlRequest request) => string.IsNullOrWhiteSpace(request.Reason) ? string.Empty : $" (reason: {request.Reason})";

    private static void Record(TickContext tick, ControlRequest request, string result, string message)
    {
        var record = new ControlRecord(request.Name, request.Uid, request.Action, request.Force, request.Reason, request.RequestedTime, tick.Input.Now, result, message);
        tick.Status = tick.Status with { Controls = [.. tick.Status.Controls.Append(record).TakeLast(RolloutStatus.MaxControls)] };
    }
}
