namespace Canary.Sandbox.Traffic.Metrics;

/// <summary>Accumulates <see cref="TrafficStatistics"/> per app; read under the simulator's tick lock.</summary>
internal sealed class StatisticsRecorder : IServedRecorder
{
    private readonly Dictionary<string, (Dictionary<TrafficKey, long> Served, Dictionary<TrafficKey, long> Mirrored)> _byApp = new(StringComparer.Ordinal);

    public void Record(in ServedGroup group, ReadOnlySpan<double> latenciesMs)
    {
        if (group.Count == 0)
        {
            return;
        }

        if (!_byApp.TryGetValue(group.App.Key, out var counts))
        {
            counts = ([], []);
            _byApp[group.App.Key] = counts;
        }

        var key = new TrafficKey(group.Segment, group.Target?.Service ?? string.Empty, group.PodEndpoint?.Workload ?? string.Empty, group.Status);
        var table = group.Mirrored ? counts.Mirrored : counts.Served;
        table[key] = table.GetValueOrDefault(key) + group.Count;
    }

    public TrafficStatistics Snapshot(string appKey) =>
        _byApp.TryGetValue(appKey, out var counts)
            ? new TrafficStatistics(new Dictionary<TrafficKey, long>(counts.Served), new Dictionary<TrafficKey, long>(counts.Mirrored))
            : TrafficStatistics.Empty;
}
