using System.Collections.Concurrent;
using Canary.Sandbox.Traffic.Cluster;
using Canary.Sandbox.Traffic.Sampling;

namespace Canary.Sandbox.Traffic;

/// <summary>
/// A run-time change of how a workload's pods answer, over what their pod-template annotations say: each value that
/// is set replaces the annotated one, the others stay. Unlike a Deployment edit it is no new revision (nothing in the
/// cluster changes), so a rollout under analysis keeps going: a dependency failing for every version, say.
/// </summary>
/// <param name="ErrorRate">Share 0..1 of requests answered 500, or null to keep the annotated one.</param>
/// <param name="LatencyP50">Median response time, or null to keep the annotated one.</param>
/// <param name="LatencyP99">99th percentile response time, or null to keep the annotated one (raised to the median if below it).</param>
public sealed record BehaviorOverride(double? ErrorRate = null, TimeSpan? LatencyP50 = null, TimeSpan? LatencyP99 = null)
{
    /// <summary>This override with the values <paramref name="later"/> sets replacing these.</summary>
    public BehaviorOverride Then(BehaviorOverride later)
    {
        ArgumentNullException.ThrowIfNull(later);
        return new(later.ErrorRate ?? ErrorRate, later.LatencyP50 ?? LatencyP50, later.LatencyP99 ?? LatencyP99);
    }

    internal WorkloadBehavior ApplyTo(WorkloadBehavior behavior)
    {
        var p50 = LatencyP50?.TotalMilliseconds ?? behavior.Latency.P50Milliseconds;
        var p99 = LatencyP99?.TotalMilliseconds ?? behavior.Latency.P99Milliseconds;
        return new WorkloadBehavior(
            Math.Clamp(ErrorRate ?? behavior.ErrorRate, 0, 1),
            LatencyP50 is null && LatencyP99 is null ? behavior.Latency : new LatencyDistribution(p50, Math.Max(p50, p99)));
    }
}

/// <summary>
/// The <see cref="BehaviorOverride"/>s of a <see cref="TrafficSimulator"/> by namespace and Deployment
/// (<see cref="TrafficSimulator.BehaviorOverrides"/>); they take effect from the next tick. Thread-safe.
/// </summary>
public sealed class BehaviorOverrides
{
    private readonly ConcurrentDictionary<(string Namespace, string Workload), BehaviorOverride> _overrides = new();

    /// <summary>Sets the override of Deployment <paramref name="workload"/>'s pods, merged over any earlier one (<see cref="BehaviorOverride.Then"/>).</summary>
    public void Set(string ns, string workload, BehaviorOverride change)
    {
        ArgumentNullException.ThrowIfNull(change);
        _overrides.AddOrUpdate((ns, workload), change, (_, earlier) => earlier.Then(change));
    }

    /// <summary>The override of a workload now, or null.</summary>
    public BehaviorOverride? Get(string ns, string workload) => _overrides.GetValueOrDefault((ns, workload));

    /// <summary>Removes the override of a workload: its pods follow their annotations again.</summary>
    public bool Clear(string ns, string workload) => _overrides.TryRemove((ns, workload), out _);

    /// <summary>The endpoints with each overridden workload's behaviour replaced (the same list when nothing applies).</summary>
    internal IReadOnlyList<PodEndpoint> Apply(IReadOnlyList<PodEndpoint> endpoints)
    {
        if (_overrides.IsEmpty || endpoints.Count == 0)
        {
            return endpoints;
        }

        List<PodEndpoint>? changed = null;
        for (var i = 0; i < endpoints.Count; i++)
        {
            var endpoint = endpoints[i];
            if (_overrides.TryGetValue((endpoint.Namespace, endpoint.Workload), out var change))
            {
                changed ??= [.. endpoints];
                changed[i] = endpoint with { Behavior = change.ApplyTo(endpoint.Behavior) };
            }
        }

        return changed ?? endpoints;
    }
}
