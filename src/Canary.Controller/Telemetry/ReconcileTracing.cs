using System.Diagnostics;
using Canary.Api.V1Beta1;
using Canary.Controller.Reconciliation;

namespace Canary.Controller.Telemetry;

/// <summary>The reconcile span: started per key by the workers, tagged with what the tick left behind.</summary>
public static class ReconcileTracing
{
    /// <summary>Name of the span of one reconcile.</summary>
    public const string SpanName = "reconcile";

    /// <summary>Starts the span of one reconcile (null when nobody listens).</summary>
    public static Activity? Start(CanaryKey key)
    {
        var activity = ControllerActivitySource.Source.StartActivity(SpanName, ActivityKind.Internal);
        activity?.SetTag("canary.namespace", key.Namespace);
        activity?.SetTag("canary.name", key.Name);
        return activity;
    }

    /// <summary>Tags the current reconcile span with the Canary's phase after the engine's tick.</summary>
    public static void Phase(CanaryPhase? phase)
    {
        if (phase is { } value)
        {
            Activity.Current?.SetTag("canary.phase", value.ToString());
        }
    }

    /// <summary>A reconcile that returned: done until the next change, or requeued after a delay.</summary>
    public static void Completed(Activity? activity, ReconcileResult result)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetTag("canary.outcome", result.RequeueAfter is null ? "done" : "requeue");
        if (result.RequeueAfter is { } delay)
        {
            activity.SetTag("canary.requeue_after_seconds", delay.TotalSeconds);
        }
    }

    /// <summary>A reconcile that threw: error status and the exception as a span event.</summary>
    public static void Failed(Activity? activity, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        activity?.SetTag("canary.outcome", "error");
        activity?.SetStatus(ActivityStatusCode.Error, exception.Message);
        activity?.AddException(exception);
    }
}
