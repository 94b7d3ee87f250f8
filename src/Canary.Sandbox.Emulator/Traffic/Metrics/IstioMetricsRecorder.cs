using System.Globalization;

namespace Canary.Sandbox.Traffic.Metrics;

/// <summary>
/// Istio standard metrics. Requests a pod answered (mirrored copies included) are reported by the destination
/// sidecar (<c>reporter="destination"</c>, <c>destination_workload</c> = the Deployment); 503s for a Service without
/// ready endpoints only by the source proxy (<c>reporter="source"</c>, <c>destination_workload="unknown"</c>).
/// </summary>
internal sealed class IstioMetricsRecorder(MetricRegistry registry) : IServedRecorder
{
    public void Record(in ServedGroup group, ReadOnlySpan<double> latenciesMs)
    {
        if (group.Target is not { } target)
        {
            return;
        }

        var pod = group.PodEndpoint;
        var code = group.Status.ToString(CultureInfo.InvariantCulture);
        (string, string)[] labels =
        [
            ("reporter", pod is null ? "source" : "destination"),
            ("source_workload", "sandbox-traffic"),
            ("destination_workload", pod?.Workload ?? "unknown"),
            ("destination_workload_namespace", pod?.Namespace ?? target.Namespace),
            ("destination_service", $"{target.Service}.{target.Namespace}.svc.cluster.local"),
            ("destination_service_name", target.Service),
            ("destination_service_namespace", target.Namespace),
            ("request_protocol", "http"),
            ("response_code", code),
            ("response_flags", pod is null ? "UH" : "-"),
        ];
        registry.Counter("istio_requests_total", "Requests reported by Istio proxies.", labels).Add(group.Count);
        if (latenciesMs.IsEmpty)
        {
            return;
        }

        var histogram = registry.Histogram("istio_request_duration_milliseconds", "Request durations reported by Istio proxies, in milliseconds.", Buckets.EnvoyMilliseconds, labels);
        foreach (var ms in latenciesMs)
        {
            histogram.Observe(ms);
        }
    }
}
