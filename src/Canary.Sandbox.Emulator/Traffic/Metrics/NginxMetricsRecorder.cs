using System.Globalization;

namespace Canary.Sandbox.Traffic.Metrics;

/// <summary>
/// ingress-nginx controller metrics. As NGINX merges the canary Ingress into the main one, every request is labelled
/// with the main Ingress; the <c>canary</c> label holds the alternative upstream (<c>&lt;ns&gt;-&lt;service&gt;-&lt;port&gt;</c>)
/// when the canary served it and is empty otherwise. No mirroring in NGINX.
/// </summary>
internal sealed class NginxMetricsRecorder(MetricRegistry registry) : IServedRecorder
{
    public void Record(in ServedGroup group, ReadOnlySpan<double> latenciesMs)
    {
        if (group.Target is not { } target || group.Mirrored)
        {
            return;
        }

        var port = target.Port?.ToString(CultureInfo.InvariantCulture) ?? "80";
        (string, string)[] labels =
        [
            ("canary", target.ViaCanaryIngress ? $"{target.Namespace}-{target.Service}-{port}" : string.Empty),
            ("controller_class", "k8s.io/ingress-nginx"),
            ("ingress", group.App.IngressName),
            ("method", "GET"),
            ("namespace", group.App.Namespace),
            ("path", group.App.Path),
            ("service", target.Service),
            ("status", group.Status.ToString(CultureInfo.InvariantCulture)),
        ];
        registry.Counter("nginx_ingress_controller_requests", "Client requests handled by the ingress controller.", labels).Add(group.Count);
        if (latenciesMs.IsEmpty)
        {
            return;
        }

        var histogram = registry.Histogram("nginx_ingress_controller_response_duration_seconds", "Time to receive the response from the upstream, in seconds.", Buckets.DefaultSeconds, labels);
        foreach (var ms in latenciesMs)
        {
            histogram.Observe(ms / 1000);
        }
    }
}
