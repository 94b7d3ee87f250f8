using Canary.Api.V1Beta1;

namespace Canary.Sandbox.Demo;

/// <summary>Accumulates what one step of the story saw, then turns it into a <see cref="StepReport"/>.</summary>
internal sealed class StepTrace
{
    private readonly List<int> _weights = [];
    private readonly List<int> _iterations = [];
    private readonly List<CanaryPhase> _phases = [];
    private readonly List<string> _warnings = [];
    private readonly List<CanaryCheck> _checks = [];
    private int _maxFailedChecks;
    private double? _worstSuccessRate;
    private double? _worstP99;
    private WorkloadMetrics _primaryLast = WorkloadMetrics.None;

    public void Record(CanarySnapshot snapshot, MetricSample sample, IEnumerable<string> newWarnings)
    {
        AddChange(_weights, snapshot.Weight);
        AddChange(_iterations, snapshot.Iterations);
        AddChange(_phases, snapshot.Phase);
        _maxFailedChecks = Math.Max(_maxFailedChecks, snapshot.FailedChecks);
        _warnings.AddRange(newWarnings.Where(w => !_warnings.Contains(w)));
        _primaryLast = sample.Primary;

        // The canary's numbers count only while it is under analysis with traffic (its window lingers after rollback).
        if (snapshot.Phase == CanaryPhase.Progressing && (snapshot.Weight > 0 || snapshot.Iterations > 0))
        {
            _worstSuccessRate = Min(_worstSuccessRate, sample.Canary.SuccessRate);
            _worstP99 = Max(_worstP99, sample.Canary.P99Ms);
        }
    }

    public void Record(CanaryCheck check) => _checks.Add(check);

    public StepReport ToReport(string name, string change, StepOutcome expected, StepOutcome actual, TimeSpan duration) =>
        new(name, change, expected, actual, [.. _weights], [.. _iterations], [.. _phases], _maxFailedChecks, [.. _warnings],
            new WorkloadMetrics(_worstSuccessRate, _worstP99), _primaryLast, duration, [.. _checks]);

    private static void AddChange<T>(List<T> list, T value)
    {
        if (list.Count == 0 || !EqualityComparer<T>.Default.Equals(list[^1], value))
        {
            list.Add(value);
        }
    }

    private static double? Min(double? current, double? value) => value is null ? current : current is null ? value : Math.Min(current.Value, value.Value);

    private static double? Max(double? current, double? value) => value is null ? current : current is null ? value : Math.Max(current.Value, value.Value);
}
