using Canary.Api.Defaults;
using Canary.Api.V1Beta1;
using Canary.Controller.Informers;
using Canary.Controller.Telemetry;
using Canary.MetricTemplates.Analysis;
using CanaryResource = Canary.Api.V1Beta1.Canary;

namespace Canary.Controller.Composition;

/// <summary>
/// Turns what the engine does into Flagger's canary metrics (METRICS.md). Like Flagger, series are labelled with the
/// target's name (spec.targetRef.name), not the Canary's. A Canary's series are dropped when it leaves the cache.
/// </summary>
public sealed class RolloutTelemetry
{
    private readonly CanaryMetricsRecorder _recorder;

    /// <summary>Creates the recorder facade and subscribes to Canary deletions.</summary>
    public RolloutTelemetry(CanaryMetricsRecorder recorder, ControllerCaches caches)
    {
        ArgumentNullException.ThrowIfNull(caches);
        _recorder = recorder ?? throw new ArgumentNullException(nameof(recorder));
        caches.Canaries.AddHandler(e =>
        {
            if (e.Type == ResourceEventType.Deleted)
            {
                Forget(e.Current);
            }
        });
    }

    /// <summary>Records one analysis tick's duration.</summary>
    public void Tick(CanaryResource canary, TimeSpan duration)
    {
        ArgumentNullException.ThrowIfNull(canary);
        _recorder.RecordDuration(TargetOf(canary), canary.Metadata.NamespaceProperty, duration);
    }

    /// <summary>Publishes the phase and weights of the Canary's latest status (nothing before its first status).</summary>
    public void Observe(CanaryResource canary)
    {
        ArgumentNullException.ThrowIfNull(canary);
        if (canary.Status?.Phase is not { } phase)
        {
            return;
        }

        var (target, ns) = (TargetOf(canary), canary.Metadata.NamespaceProperty);
        _recorder.SetStatus(target, ns, progressing: phase == CanaryPhase.Progressing, failed: phase == CanaryPhase.Failed);
        var canaryWeight = canary.Status.CanaryWeight ?? 0;
        _recorder.SetWeight(target, ns, 100 - canaryWeight, canaryWeight);
    }

    /// <summary>Counts a release that finished with this status write (entering Succeeded or Failed).</summary>
    public void Transition(CanaryResource canary, CanaryPhase? before, CanaryPhase? after)
    {
        ArgumentNullException.ThrowIfNull(canary);
        if (before == after || after is not (CanaryPhase.Succeeded or CanaryPhase.Failed))
        {
            return;
        }

        var spec = CanaryDefaults.Resolve(canary.Spec);
        _recorder.RecordResult(
            TargetOf(canary), canary.Metadata.NamespaceProperty, spec.Analysis.Strategy.ToFlaggerName(),
            spec.SkipAnalysis ? "skipped" : "completed", succeeded: after == CanaryPhase.Succeeded);
    }

    /// <summary>Publishes the measured value of every metric check that produced one.</summary>
    public void Analysed(CanaryResource canary, IReadOnlyList<MetricCheckResult> results)
    {
        ArgumentNullException.ThrowIfNull(canary);
        ArgumentNullException.ThrowIfNull(results);
        foreach (var result in results)
        {
            if (result.Value is { } value)
            {
                _recorder.SetAnalysis(TargetOf(canary), canary.Metadata.NamespaceProperty, result.MetricName, value);
            }
        }
    }

    /// <summary>Drops the series of a Canary that is gone.</summary>
    public void Forget(CanaryResource canary)
    {
        ArgumentNullException.ThrowIfNull(canary);
        var target = TargetOf(canary);
        _recorder.Forget(target, canary.Metadata.NamespaceProperty, target);
    }

    private static string TargetOf(CanaryResource canary) => canary.Spec?.TargetRef?.Name ?? canary.Metadata.Name;
}
