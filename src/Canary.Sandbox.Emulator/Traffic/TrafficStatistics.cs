namespace Canary.Sandbox.Traffic;

/// <summary>Requests of one segment answered by one workload with one status code (Service/Workload empty when no pod answered).</summary>
/// <param name="Segment">The <see cref="RequestSegment"/> name.</param>
/// <param name="Service">Backend Service the data plane chose; empty when the proxy answered itself (404, 500).</param>
/// <param name="Workload">Deployment whose pod answered; empty when the Service had no ready endpoints (503).</param>
/// <param name="StatusCode">HTTP status returned.</param>
public readonly record struct TrafficKey(string Segment, string Service, string Workload, int StatusCode);

/// <summary>
/// Cumulative request counts of one app since the simulator started: what clients got (<see cref="Served"/>) and
/// the mirrored copies the data plane sent on the side (<see cref="Mirrored"/>, never answered to a client).
/// </summary>
public sealed record TrafficStatistics(IReadOnlyDictionary<TrafficKey, long> Served, IReadOnlyDictionary<TrafficKey, long> Mirrored)
{
    public static TrafficStatistics Empty { get; } = new(new Dictionary<TrafficKey, long>(), new Dictionary<TrafficKey, long>());

    /// <summary>All requests answered to clients.</summary>
    public long Total => Served.Values.Sum();

    /// <summary>Requests answered to clients matching <paramref name="predicate"/>.</summary>
    public long Count(Func<TrafficKey, bool> predicate) => Served.Where(kv => predicate(kv.Key)).Sum(kv => kv.Value);

    /// <summary>Requests answered by pods of Deployment <paramref name="workload"/>.</summary>
    public long ByWorkload(string workload) => Count(k => k.Workload == workload);

    /// <summary>Mirrored copies received by pods of Deployment <paramref name="workload"/>.</summary>
    public long MirroredTo(string workload) => Mirrored.Where(kv => kv.Key.Workload == workload).Sum(kv => kv.Value);

    /// <summary>The counts added since <paramref name="earlier"/> (a snapshot of the same app).</summary>
    public TrafficStatistics Since(TrafficStatistics earlier)
    {
        ArgumentNullException.ThrowIfNull(earlier);
        return new(Minus(Served, earlier.Served), Minus(Mirrored, earlier.Mirrored));
    }

    private static Dictionary<TrafficKey, long> Minus(IReadOnlyDictionary<TrafficKey, long> now, IReadOnlyDictionary<TrafficKey, long> before) =>
        now.Select(kv => (kv.Key, Value: kv.Value - before.GetValueOrDefault(kv.Key)))
            .Where(x => x.Value != 0)
            .ToDictionary(x => x.Key, x => x.Value);
}
