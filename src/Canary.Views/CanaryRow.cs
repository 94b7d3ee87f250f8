using CanaryResource = Canary.Api.V1Beta1.Canary;

namespace Canary.Views;

/// <summary>One line of <c>list</c>: where a Canary's rollout stands.</summary>
/// <param name="Namespace">Namespace of the Canary.</param>
/// <param name="Name">Name of the Canary.</param>
/// <param name="Phase">status.phase ("" before the first reconcile).</param>
/// <param name="Paused">A pause control holds the release.</param>
/// <param name="Weight">status.canaryWeight.</param>
/// <param name="Step">"2/5" (steps of the canary strategy, iterations otherwise), "-" when no rollout runs.</param>
/// <param name="FailedChecks">status.failedChecks.</param>
/// <param name="Threshold">Failed checks before rollback.</param>
/// <param name="LastVerdict">The last check's metric and verdict, or null before any check.</param>
/// <param name="Age">Age of the Canary, as kubectl prints it.</param>
/// <param name="CreationTimestamp">metadata.creationTimestamp.</param>
public sealed record CanaryRow(
    string Namespace, string Name, string Phase, bool Paused, int Weight, string Step, int FailedChecks, int Threshold, LastVerdict? LastVerdict,
    string Age, DateTime? CreationTimestamp)
{
    public static CanaryRow Of(CanaryResource canary, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(canary);
        var progress = RolloutProgress.Of(canary);
        var last = canary.Status?.Checks is { Count: > 0 } checks ? checks[^1] : null;
        return new CanaryRow(
            canary.Metadata.NamespaceProperty ?? string.Empty, canary.Metadata.Name ?? string.Empty, progress.Phase, progress.Paused, progress.Weight,
            progress.StepText, progress.FailedChecks, progress.Threshold, last is null ? null : new LastVerdict(last.Metric, last.Verdict),
            HumanDuration.Age(canary.Metadata.CreationTimestamp, now), canary.Metadata.CreationTimestamp);
    }
}

/// <summary>The last check of a rollout.</summary>
public sealed record LastVerdict(string? Metric, string? Verdict)
{
    public override string ToString() => $"{Metric} {Verdict}";
}
