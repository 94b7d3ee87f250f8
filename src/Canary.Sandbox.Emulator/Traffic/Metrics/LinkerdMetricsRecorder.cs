using System.Globalization;

namespace Canary.Sandbox.Traffic.Metrics;

/// <summary>
/// Linkerd proxy metrics as linkerd-viz's Prometheus stores them: the inbound proxy of the pod that answered counts
/// <c>response_total</c> (<c>classification</c> failure for 5xx) and observes <c>response_latency_ms</c>, labelled with
/// the pod's namespace, Deployment and name. A 503 for a Service without ready endpoints has no inbound proxy, so it is
/// not counted here.
/// </summary>
internal sealed class LinkerdMetricsRecorder(MetricRegistry registry) : IServedRecorder
{
    public void Record(in ServedGroup group, ReadOnlySpan<double> latenciesMs)
    {
        if (group.PodEndpoint is not { } pod)
        {
            return;
        }

        var code = group.Status.ToString(CultureInfo.InvariantCulture);
        (string, string)[] labels =
        [
            ("direction", "inbound"),
            ("namespace", pod.Namespace),
            ("deployment", pod.Workload),
            ("pod", pod.PodName),
            ("status_code", code),
        ];
        registry.Counter(
            "response_total", "Total count of HTTP responses.",
            [.. labels, ("classification", group.Status >= 500 ? "failure" : "success")]).Add(group.Count);
        if (latenciesMs.IsEmpty)
        {
            return;
        }

        var histogram = registry.Histogram("response_latency_ms", "Elapsed times between a request's headers being received and its response stream completing, in milliseconds.", Buckets.LinkerdMilliseconds, labels);
        foreach (var ms in latenciesMs)
        {
            histogram.Observe(ms);
        }
    }
}
