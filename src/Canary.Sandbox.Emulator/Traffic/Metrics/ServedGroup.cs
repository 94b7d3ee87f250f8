using Canary.Sandbox.Traffic.Cluster;
using Canary.Sandbox.Traffic.Routing;

namespace Canary.Sandbox.Traffic.Metrics;

/// <summary>
/// Requests of one tick with the same outcome: one app segment, one backend (port resolved), one pod (null when the
/// backend had no ready endpoints, or <see cref="Target"/> null when the proxy answered itself), one status.
/// </summary>
internal readonly record struct ServedGroup(
    TrafficApp App,
    string Segment,
    RouteTarget? Target,
    PodEndpoint? PodEndpoint,
    int Status,
    int Count,
    bool Mirrored);

/// <summary>Turns served groups into one data plane's series (or statistics).</summary>
internal interface IServedRecorder
{
    /// <summary>Records <paramref name="group"/>; <paramref name="latenciesMs"/> holds one response time per request when a pod answered, else nothing.</summary>
    void Record(in ServedGroup group, ReadOnlySpan<double> latenciesMs);
}
