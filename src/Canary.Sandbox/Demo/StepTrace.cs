using Canary.Api.V1Beta1;

namespace Canary.Sandbox.Demo;

/// <summary>Accumulates what one step of the story saw, then turns it into a <see cref="StepReport"/>.</summary>
internal sealed class StepTrace
{
    private readonly List<int> weights = [];
    private readonly List<int> iterations = [];
    private readonly List<CanaryPhase> phases = [];
    private readonly List<string> warnings = [];
    private int maxFailedChecks;
    private double? worstSuccessRate;
    private double? worstP99;
    private WorkloadMetrics primaryLast = WorkloadMetrics.None;

    public void Record(CanarySnapshot snapshot, MetricSample sample, IEnumerable<string> newWarnings)
    {
        AddChange(weights, snapshot.Weight);
        AddChange(iterations, snapshot.Iterations);
        AddChange(phases, snapshot.Phase);
        maxFailedChecks = Math.Max(maxFailedChecks, snapshot.FailedChecks);
        warnings.AddRange(newWarnings.Where(w => !warnings.Contains(w)));
        primaryLast = sample.Primary;

        // The canary's numbers count only while it is under analysis with traffic (its window lingers after rollback).
        if (snapshot.Phase == CanaryPhase.Progressing && (snapshot.Weight > 0 || snapshot.Iterations > 0))
        {
            worstSuccessRate = Min(worstSuccessRate, sample.Canary.SuccessRate);
            worstP99 = Max(worstP99, sample.Canary.P99Ms);
        }
    }

    public StepReport ToReport(string name, string change, StepOutcome expected, StepOutcome actual, TimeSpan duration) =>
        new(name, change, expected, actual, [.. weights], [.. iterations], [.. phases], maxFailedChecks, [.. warnings],
            new WorkloadMetrics(worstSuccessRate, worstP99), primaryLast, duration);

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
