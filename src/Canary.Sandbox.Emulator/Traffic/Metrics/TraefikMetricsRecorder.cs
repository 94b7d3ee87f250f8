using System.Globalization;

namespace Canary.Sandbox.Traffic.Metrics;

/// <summary>
/// Traefik's service metrics: <c>traefik_service_requests_total</c> and the <c>traefik_service_request_duration_seconds</c>
/// histogram (Traefik's default buckets), labelled <c>code</c>, <c>method</c>, <c>protocol</c> and <c>service</c>, for
/// the Kubernetes Service that answered (<c>&lt;ns&gt;-&lt;service&gt;-&lt;port&gt;@kubernetescrd</c>, Traefik's name
/// for a Service referenced by a CRD) and for the weighted TraefikService in front of it (<c>&lt;ns&gt;-&lt;apex&gt;@kubernetescrd</c>).
/// Traefik observes every request it answers, a 503 for a Service without endpoints too (in no time).
/// </summary>
internal sealed class TraefikMetricsRecorder(MetricRegistry registry) : IServedRecorder
{
    public void Record(in ServedGroup group, ReadOnlySpan<double> latenciesMs)
    {
        if (group.Target is not { } target || group.Mirrored)
        {
            return;
        }

        var port = target.Port?.ToString(CultureInfo.InvariantCulture) ?? "80";
        Record($"{target.Namespace}-{target.Service}-{port}@kubernetescrd", group, latenciesMs);
        Record($"{group.App.Namespace}-{group.App.Name}@kubernetescrd", group, latenciesMs);
    }

    private void Record(string service, in ServedGroup group, ReadOnlySpan<double> latenciesMs)
    {
        (string, string)[] labels =
        [
            ("code", group.Status.ToString(CultureInfo.InvariantCulture)),
            ("method", "GET"),
            ("protocol", "http"),
            ("service", service),
        ];
        registry.Counter("traefik_service_requests_total", "How many HTTP requests processed on a service, partitioned by status code, protocol, and method.", labels).Add(group.Count);
        registry.Histogram("traefik_service_request_duration_seconds", "How long it took to process the request on a service, partitioned by status code, protocol, and method.", Buckets.TraefikSeconds, labels)
            .ObserveAnswers(latenciesMs, group.Count, millisecondsPerUnit: 1000);
    }
}
