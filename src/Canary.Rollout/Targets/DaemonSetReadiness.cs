using System.Globalization;
using Canary.Rollout.StateMachine;
using k8s.Models;

namespace Canary.Rollout.Targets;

/// <summary>
/// Readiness of a DaemonSet from its status (Flagger's <c>isDaemonSetReady</c>): the controller saw the latest
/// generation, every scheduled pod runs the current template, and enough of them are available. Past the deadline
/// (counted from the Canary's last transition, as Flagger) a DaemonSet still rolling out has failed.
/// </summary>
public static class DaemonSetReadiness
{
    /// <summary>
    /// Evaluates <paramref name="daemonSet"/> at <paramref name="now"/>; <paramref name="since"/> is when the deadline
    /// starts (null: no deadline); <paramref name="prefix"/> starts every message.
    /// </summary>
    public static Readiness Evaluate(V1DaemonSet daemonSet, DateTimeOffset now, DateTimeOffset? since, TimeSpan deadline, int readyThresholdPercent, string prefix)
    {
        ArgumentNullException.ThrowIfNull(daemonSet);
        var status = daemonSet.Status ?? new V1DaemonSetStatus();
        string? pending = null;
        if ((daemonSet.Metadata?.Generation ?? 0) > (status.ObservedGeneration ?? 0))
        {
            pending = "waiting for rollout to finish: observed daemonset generation less than desired generation";
        }
        else if ((status.UpdatedNumberScheduled ?? 0) < status.DesiredNumberScheduled)
        {
            pending = string.Create(
                CultureInfo.InvariantCulture,
                $"waiting for rollout to finish: {status.UpdatedNumberScheduled ?? 0} out of {status.DesiredNumberScheduled} new pods have been updated");
        }
        else if ((status.NumberAvailable ?? 0) < (int)(status.DesiredNumberScheduled * (readyThresholdPercent / 100.0)))
        {
            pending = string.Create(
                CultureInfo.InvariantCulture,
                $"waiting for rollout to finish: {status.NumberAvailable ?? 0} of {status.DesiredNumberScheduled} (readyThreshold {readyThresholdPercent}%) updated pods are available");
        }

        if (pending is null)
        {
            return Readiness.Ready;
        }

        return since is { } start && now > start + deadline
            ? Readiness.Failed($"{prefix}{pending}: no progress for {deadline.TotalSeconds:0}s (progressDeadlineSeconds)")
            : Readiness.Waiting(prefix + pending);
    }
}
