using System.Globalization;

namespace Canary.Sandbox.Traffic.Metrics;

/// <summary>
/// The application's own <c>http_request_duration_seconds</c> histogram (podinfo-style), labelled as a Prometheus
/// pod scrape would (<c>kubernetes_namespace</c>, <c>kubernetes_pod_name</c>): what the kubernetes provider's queries read.
/// Pods see mirrored requests too.
/// </summary>
internal sealed class AppMetricsRecorder(MetricRegistry registry) : IServedRecorder
{
    public void Record(in ServedGroup group, ReadOnlySpan<double> latenciesMs)
    {
        if (group.PodEndpoint is not { } pod)
        {
            return;
        }

        var histogram = registry.Histogram(
            "http_request_duration_seconds",
            "Duration of HTTP requests served by the application, in seconds.",
            Buckets.DefaultSeconds,
            ("kubernetes_namespace", pod.Namespace),
            ("kubernetes_pod_name", pod.PodName),
            ("method", group.App.Method),
            ("path", group.App.Path),
            ("status", group.Status.ToString(CultureInfo.InvariantCulture)));
        foreach (var ms in latenciesMs)
        {
            histogram.Observe(ms / 1000);
        }
    }
}
