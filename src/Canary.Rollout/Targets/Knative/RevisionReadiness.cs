using System.Text.Json.Nodes;
using Canary.Providers.Apply;
using Canary.Rollout.StateMachine;

namespace Canary.Rollout.Targets.Knative;

/// <summary>
/// Readiness of a Knative Revision from its <c>Ready</c> condition: True is ready, False failed (Knative gave up, e.g.
/// its own progress deadline), Unknown waiting until the Canary's progress deadline counted from the revision's creation.
/// Flagger waits on an Unknown revision forever.
/// </summary>
internal static class RevisionReadiness
{
    public static Readiness Evaluate(JsonObject? revision, string name, DateTimeOffset now, TimeSpan deadline, string prefix)
    {
        if (revision is null)
        {
            return Readiness.Waiting($"{prefix}revision {name} not found");
        }

        var (status, reason, message) = KnativeServiceClient.ReadyCondition(revision);
        var detail = string.IsNullOrEmpty(reason) ? message : $"{reason}: {message}";
        if (status == "True")
        {
            return Readiness.Ready;
        }

        if (status == "False")
        {
            return Readiness.Failed($"{prefix}revision {name} failed: {detail}");
        }

        return Created(revision) is { } created && now > created + deadline
            ? Readiness.Failed($"{prefix}revision {name} not ready after {deadline.TotalSeconds:0}s (progressDeadlineSeconds): {detail}")
            : Readiness.Waiting($"{prefix}waiting for revision {name}: {detail}");
    }

    private static DateTimeOffset? Created(JsonObject revision) =>
        DateTimeOffset.TryParse((string?)revision["metadata"]?["creationTimestamp"], System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var created)
            ? created
            : null;
}
