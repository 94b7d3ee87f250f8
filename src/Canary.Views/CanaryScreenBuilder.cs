using Canary.Api.Defaults;
using Canary.Api.V1Beta1;
using k8s.Models;
using CanaryResource = Canary.Api.V1Beta1.Canary;

namespace Canary.Views;

/// <summary>The images of the target and the primary, when they could be read (null: not readable, e.g. 403).</summary>
public sealed record WorkloadImages(IReadOnlyList<string>? Target, IReadOnlyList<string>? Primary)
{
    public static WorkloadImages None { get; } = new(null, null);
}

/// <summary>Builds a <see cref="CanaryScreen"/> from what was read; no I/O, no clock.</summary>
public static class CanaryScreenBuilder
{
    /// <summary>How many Events the screen shows (the most recent).</summary>
    public const int EventCount = 10;

    public static CanaryScreen Build(CanaryResource canary, IEnumerable<Corev1Event> events, WorkloadImages images)
    {
        ArgumentNullException.ThrowIfNull(canary);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(images);
        var status = canary.Status ?? new CanaryStatus();
        var progress = RolloutProgress.Of(canary);
        var targetKind = string.IsNullOrEmpty(canary.Spec.TargetRef?.Kind) ? TargetKinds.Deployment : canary.Spec.TargetRef.Kind;
        var targetName = canary.Spec.TargetRef?.Name ?? string.Empty;
        var metrics = canary.Spec.EffectiveAnalysis()?.Metrics ?? [];
        return new CanaryScreen
        {
            Namespace = canary.Metadata.NamespaceProperty ?? string.Empty,
            Name = canary.Metadata.Name ?? string.Empty,
            Strategy = progress.Strategy,
            Provider = string.IsNullOrEmpty(canary.Spec.Provider) ? null : canary.Spec.Provider,
            Target = new WorkloadView(targetKind, targetName, status.LastAppliedSpec, images.Target),
            Primary = new WorkloadView(targetKind, targetName + CanaryApi.PrimarySuffix, status.LastPromotedSpec, images.Primary),
            Phase = progress.Phase,
            Paused = progress.Paused,
            RequestedPromotion = string.IsNullOrEmpty(status.RequestedPromotion) ? null : status.RequestedPromotion,
            SkipAnalysisOnce = status.SkipAnalysisOnce == true,
            Weight = progress.Weight,
            MaxWeight = progress.MaxWeight,
            Step = progress.Current,
            Steps = progress.Total,
            FailedChecks = progress.FailedChecks,
            Threshold = progress.Threshold,
            LastTransitionTime = status.LastTransitionTime,
            Timeline = [.. (status.Timeline ?? []).Select(t => new TimelineView(t.Time, t.Phase, t.Weight, t.Iterations))],
            Checks = [.. (status.Checks ?? []).Select(c => Check(c, metrics))],
            Webhooks = [.. (status.Webhooks ?? []).Select(w => new WebhookView(w.Time, w.Name, w.Type, w.Passed, w.Message))],
            Controls = [.. (status.Controls ?? []).Select(c => new ControlView(c.RequestedTime, c.HandledTime, c.Request, c.Action, c.Force, c.Reason, c.Result, c.Message))],
            Events = [.. Recent(events)],
        };
    }

    /// <summary>When an Event last happened: lastTimestamp, else eventTime, else firstTimestamp, else its creation.</summary>
    public static DateTime? TimeOf(Corev1Event e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e.LastTimestamp ?? e.EventTime ?? e.FirstTimestamp ?? e.Metadata?.CreationTimestamp;
    }

    /// <summary>
    /// Events oldest first: by time, then (times have whole seconds on a real server) by resourceVersion, which grows
    /// with each write on etcd-backed servers, then by name.
    /// </summary>
    public static IEnumerable<Corev1Event> Chronological(IEnumerable<Corev1Event> events) => events
        .OrderBy(e => TimeOf(e) ?? DateTime.MinValue)
        .ThenBy(e => long.TryParse(e.Metadata?.ResourceVersion, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : long.MaxValue)
        .ThenBy(e => e.Metadata?.Name, StringComparer.Ordinal);

    private static IEnumerable<EventView> Recent(IEnumerable<Corev1Event> events) => Chronological(events)
        .TakeLast(EventCount)
        .Select(e => new EventView(TimeOf(e), e.Type, e.Reason, e.Message, e.Count));

    // The bound a check is held to: the primary's value when the judge compared the two, else the metric's range.
    private static CheckView Check(CanaryCheck check, IEnumerable<CanaryMetric> metrics)
    {
        var metric = metrics.FirstOrDefault(m => m.Name == check.Metric);
        double? min = metric?.ThresholdRange?.Min;
        double? max = metric?.ThresholdRange?.Max;
        if (metric?.ThresholdRange is null && metric?.Threshold is { } legacy)
        {
            // Deprecated threshold: a lower bound for the success rate, an upper bound for everything else (as Flagger reads it).
            (min, max) = metric.Name == BuiltInMetrics.RequestSuccessRate ? ((double?)legacy, (double?)null) : ((double?)null, (double?)legacy);
        }

        return new CheckView(check.Time, check.Metric, check.Weight, check.CanaryValue, check.PrimaryValue, min, max, check.Verdict, check.Message);
    }
}
