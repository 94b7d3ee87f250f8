namespace Canary.Rollout.StateMachine;

/// <summary>A CanaryRequest of this Canary not yet acted on, as the decider sees it.</summary>
/// <param name="Name">metadata.name of the request.</param>
/// <param name="Uid">metadata.uid: a request is acted on once.</param>
/// <param name="Action">promote, abort, pause, resume, retry or skip-analysis (anything else is refused).</param>
/// <param name="Force">promote: skip the confirm-promotion gates.</param>
/// <param name="Reason">The asker's words.</param>
/// <param name="RequestedTime">creationTimestamp of the request.</param>
public sealed record ControlRequest(string Name, string Uid, string Action, bool Force, string? Reason, DateTimeOffset? RequestedTime);

/// <summary>A handled control, kept in the status so that it is acted on once and people can see what was asked and when.</summary>
/// <param name="Request">Name of the CanaryRequest.</param>
/// <param name="Uid">Its uid.</param>
/// <param name="Action">The action asked.</param>
/// <param name="Force">promote: the gates were skipped.</param>
/// <param name="Reason">The asker's words.</param>
/// <param name="RequestedTime">When it was asked.</param>
/// <param name="HandledTime">When the controller acted.</param>
/// <param name="Result">Accepted or Refused.</param>
/// <param name="Message">What was done, or why not.</param>
public sealed record ControlRecord(
    string Request, string Uid, string Action, bool Force, string? Reason, DateTimeOffset? RequestedTime, DateTimeOffset HandledTime, string Result, string Message);

/// <summary>One step of the current rollout: the phase, weight or iteration changed.</summary>
public sealed record TimelineEntry(DateTimeOffset Time, Api.V1Beta1.CanaryPhase Phase, int Weight, int Iterations);

/// <summary>The last answer of one webhook in the current rollout; <paramref name="Time"/> is when it first answered so.</summary>
public sealed record WebhookAnswer(string Name, string Type, DateTimeOffset Time, bool Passed, string Message);
