using System.Globalization;
using Canary.Rollout.StateMachine;
using k8s.Models;

namespace Canary.Rollout.Targets;

/// <summary>
/// Readiness of a Deployment from its status (Flagger's <c>isDeploymentReady</c>), plus a deadline on progress itself: a
/// rollout that made no progress for <c>progressDeadlineSeconds</c> fails even when the Available condition never flips
/// (crash-looping pods, Flagger #1247).
/// </summary>
public static class DeploymentReadiness
{
    /// <summary>Evaluates <paramref name="deployment"/> at <paramref name="now"/>; <paramref name="prefix"/> starts every message.</summary>
    public static Readiness Evaluate(V1Deployment deployment, DateTimeOffset now, TimeSpan deadline, int readyThresholdPercent, string prefix)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        var status = deployment.Status ?? new V1DeploymentStatus();
        var generation = deployment.Metadata?.Generation ?? 0;
        if (generation > (status.ObservedGeneration ?? 0))
        {
            return Waiting(prefix, "waiting for rollout to finish: observed deployment generation less than desired generation");
        }

        var conditions = status.Conditions ?? [];
        var progressing = conditions.FirstOrDefault(c => c.Type == "Progressing");
        if (progressing?.Reason == "ProgressDeadlineExceeded")
        {
            return Readiness.Failed($"{prefix}deployment \"{deployment.Metadata?.Name}\" exceeded its progress deadline");
        }

        var wanted = deployment.Spec?.Replicas ?? 1;
        var updated = status.UpdatedReplicas ?? 0;
        var replicas = status.Replicas ?? 0;
        var available = status.AvailableReplicas ?? 0;
        string? pending = null;
        if (updated < wanted)
        {
            pending = $"waiting for rollout to finish: {updated} out of {wanted} new replicas have been updated";
        }
        else if (replicas > updated)
        {
            pending = $"waiting for rollout to finish: {replicas - updated} old replicas are pending termination";
        }
        else if (available < (int)(updated * (readyThresholdPercent / 100.0)))
        {
            pending = string.Create(
                CultureInfo.InvariantCulture,
                $"waiting for rollout to finish: {available} of {updated} (readyThreshold {readyThresholdPercent}%) updated replicas are available");
        }

        if (pending is null)
        {
            return Readiness.Ready;
        }

        // The deadline runs from the last progress Kubernetes recorded (or the last Available change), whichever is later.
        // A "NewReplicaSetAvailable" timestamp is stale (the last completed rollout), so only an active rollout's counts.
        var progressedAt = progressing?.Reason == "ReplicaSetUpdated" ? progressing.LastUpdateTime : null;
        var unavailableSince = conditions.FirstOrDefault(c => c is { Type: "Available", Status: "False", Reason: "MinimumReplicasUnavailable" })?.LastUpdateTime;
        var since = Latest(progressedAt, unavailableSince);
        if (since is { } start && now > new DateTimeOffset(DateTime.SpecifyKind(start, DateTimeKind.Utc)) + deadline)
        {
            return Readiness.Failed($"{prefix}{pending}: no progress for {deadline.TotalSeconds:0}s (progressDeadlineSeconds)");
        }

        return Waiting(prefix, pending);
    }

    private static Readiness Waiting(string prefix, string message) => Readiness.Waiting(prefix + message);

    private static DateTime? Latest(DateTime? a, DateTime? b) => a is null ? b : b is null ? a : a > b ? a : b;
}
