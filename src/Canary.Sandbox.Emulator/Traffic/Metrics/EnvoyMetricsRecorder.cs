using System.Globalization;

namespace Canary.Sandbox.Traffic.Metrics;

/// <summary>
/// Envoy upstream-cluster metrics of a Gateway API or Contour data plane, clusters named
/// <c>&lt;ns&gt;_&lt;service&gt;_&lt;port&gt;</c> (Contour's naming, which the gatewayapi built-in queries expect), or by the
/// route target's own cluster name where the data plane names clusters otherwise (Gloo: <c>&lt;upstream&gt;_&lt;ns&gt;</c>).
/// Mirrored copies count on the mirror's cluster; no ready endpoints counts as a 503 on the cluster, without a response time.
/// </summary>
internal sealed class EnvoyMetricsRecorder(MetricRegistry registry, bool clusterFromRoute = false) : IServedRecorder
{
    public void Record(in ServedGroup group, ReadOnlySpan<double> latenciesMs)
    {
        if (group.Target is not { } target)
        {
            return;
        }

        var cluster = clusterFromRoute && target.Route is { } route
            ? route
            : $"{target.Namespace}_{target.Service}_{target.Port?.ToString(CultureInfo.InvariantCulture) ?? "80"}";
        registry.Counter(
            "envoy_cluster_upstream_rq",
            "Upstream requests of an Envoy cluster, by response code.",
            ("envoy_cluster_name", cluster),
            ("envoy_response_code", group.Status.ToString(CultureInfo.InvariantCulture))).Add(group.Count);
        if (latenciesMs.IsEmpty)
        {
            return;
        }

        var histogram = registry.Histogram("envoy_cluster_upstream_rq_time", "Upstream request time of an Envoy cluster, in milliseconds.", Buckets.EnvoyMilliseconds, ("envoy_cluster_name", cluster));
        foreach (var ms in latenciesMs)
        {
            histogram.Observe(ms);
        }
    }
}
