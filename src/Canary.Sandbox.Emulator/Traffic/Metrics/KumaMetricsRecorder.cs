using System.Globalization;

namespace Canary.Sandbox.Traffic.Metrics;

/// <summary>
/// Kuma data-plane (Envoy) metrics as Kuma's Prometheus scraping labels them: the proxy of the pod that answered counts
/// <c>envoy_cluster_upstream_rq</c> (by <c>envoy_response_code</c>) and observes <c>envoy_cluster_upstream_rq_time</c> (ms)
/// on its inbound cluster <c>localhost_&lt;port&gt;</c>, with <c>service</c> = the <c>kuma.io/service</c> the request was
/// routed to (<c>&lt;svc&gt;_&lt;ns&gt;_svc_&lt;port&gt;</c>). A 503 for a Service without ready endpoints has no answering
/// proxy, so it is not counted here.
/// </summary>
internal sealed class KumaMetricsRecorder(MetricRegistry registry) : IServedRecorder
{
    public void Record(in ServedGroup group, ReadOnlySpan<double> latenciesMs)
    {
        if (group.Target is not { } target || group.PodEndpoint is null)
        {
            return;
        }

        var port = target.Port?.ToString(CultureInfo.InvariantCulture) ?? "80";
        (string, string)[] labels = [("envoy_cluster_name", $"localhost_{port}"), ("service", $"{target.Service}_{target.Namespace}_svc_{port}")];
        registry.Counter(
            "envoy_cluster_upstream_rq", "Upstream requests of an Envoy cluster, by response code.",
            [.. labels, ("envoy_response_code", group.Status.ToString(CultureInfo.InvariantCulture))]).Add(group.Count);
        var histogram = registry.Histogram("envoy_cluster_upstream_rq_time", "Upstream request time of an Envoy cluster, in milliseconds.", Buckets.EnvoyMilliseconds, labels);
        foreach (var ms in latenciesMs)
        {
            histogram.Observe(ms);
        }
    }
}
