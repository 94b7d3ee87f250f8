using System.Globalization;

namespace Canary.Sandbox.Traffic.Metrics;

/// <summary>
/// APISIX's Prometheus plugin: <c>apisix_http_status</c> (by <c>code</c>) and the <c>apisix_http_latency</c> histogram
/// (<c>type="request"</c>, ms, APISIX's buckets), labelled with the <c>route</c> that matched, not the backend that
/// answered (APISIX's <c>node</c> label, the upstream address, is left empty: the sandbox has no pod IPs). Every answer
/// counts, a 503 for a backend without endpoints too (in no time).
/// </summary>
internal sealed class ApisixMetricsRecorder(MetricRegistry registry) : IServedRecorder
{
    public void Record(in ServedGroup group, ReadOnlySpan<double> latenciesMs)
    {
        if (group.Target?.Route is not { } route || group.Mirrored)
        {
            return;
        }

        registry.Counter(
            "apisix_http_status", "HTTP status codes per service in APISIX.",
            ("code", group.Status.ToString(CultureInfo.InvariantCulture)), ("route", route), ("matched_uri", string.Empty), ("matched_host", string.Empty),
            ("service", string.Empty), ("consumer", string.Empty), ("node", string.Empty)).Add(group.Count);
        registry.Histogram(
            "apisix_http_latency", "HTTP request latency in milliseconds per service in APISIX.", Buckets.ApisixMilliseconds,
            ("type", "request"), ("route", route), ("service", string.Empty), ("consumer", string.Empty), ("node", string.Empty))
            .ObserveAnswers(latenciesMs, group.Count, millisecondsPerUnit: 1);
    }
}
