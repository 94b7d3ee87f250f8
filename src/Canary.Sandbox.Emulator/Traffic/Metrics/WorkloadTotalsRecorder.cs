namespace Canary.Sandbox.Traffic.Metrics;

/// <summary>What one workload's pods served since the last drain: requests, 5xx answers and the sum of their response times.</summary>
/// <param name="Namespace">Namespace of the pods.</param>
/// <param name="Workload">Owning workload (Deployment) of the pods.</param>
/// <param name="Requests">Requests answered by the pods.</param>
/// <param name="Errors">Of which 5xx.</param>
/// <param name="DurationSumMs">Sum of their response times, in milliseconds.</param>
public sealed record WorkloadTotals(string Namespace, string Workload, long Requests, long Errors, double DurationSumMs);

/// <summary>
/// Per-workload totals between drains, as an application pushing its own counters (StatsD/Telegraf style) reports them
/// to a store such as InfluxDB: what the pods answered, mirrored copies included.
/// </summary>
internal sealed class WorkloadTotalsRecorder : IServedRecorder
{
    private Dictionary<(string Namespace, string Workload), (long Requests, long Errors, double DurationSumMs)> _totals = [];

    public void Record(in ServedGroup group, ReadOnlySpan<double> latenciesMs)
    {
        if (group.PodEndpoint is not { } pod || group.Count == 0)
        {
            return;
        }

        var key = (pod.Namespace, pod.Workload);
        var current = _totals.GetValueOrDefault(key);
        var sum = 0d;
        foreach (var ms in latenciesMs)
        {
            sum += ms;
        }

        _totals[key] = (current.Requests + group.Count, current.Errors + (group.Status >= 500 ? group.Count : 0), current.DurationSumMs + sum);
    }

    /// <summary>The totals since the last drain, and a fresh start.</summary>
    public IReadOnlyList<WorkloadTotals> Drain()
    {
        var drained = _totals;
        _totals = [];
        return [.. drained.Select(kv => new WorkloadTotals(kv.Key.Namespace, kv.Key.Workload, kv.Value.Requests, kv.Value.Errors, kv.Value.DurationSumMs))];
    }
}
