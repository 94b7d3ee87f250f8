using System.Globalization;

namespace Canary.Sandbox.Traffic.Metrics;

/// <summary>
/// Skipper's route metrics: the <c>skipper_serve_route_duration_seconds</c> and <c>skipper_response_duration_seconds</c>
/// histograms (Prometheus default buckets), labelled <c>code</c>, <c>method</c> and <c>route</c> (the route id the
/// request took). Skipper observes every response it sends, a 503 for a backend without endpoints too (in no time).
/// </summary>
internal sealed class SkipperMetricsRecorder(MetricRegistry registry) : IServedRecorder
{
    public void Record(in ServedGroup group, ReadOnlySpan<double> latenciesMs)
    {
        if (group.Target?.Route is not { } route || group.Mirrored)
        {
            return;
        }

        (string, string)[] labels = [("code", group.Status.ToString(CultureInfo.InvariantCulture)), ("method", "GET"), ("route", route)];
        registry.Histogram("skipper_serve_route_duration_seconds", "Duration in seconds of serving a route.", Buckets.DefaultSeconds, labels)
            .ObserveAnswers(latenciesMs, group.Count, millisecondsPerUnit: 1000);
        registry.Histogram("skipper_response_duration_seconds", "Duration in seconds of a response.", Buckets.DefaultSeconds, labels)
            .ObserveAnswers(latenciesMs, group.Count, millisecondsPerUnit: 1000);
    }
}
