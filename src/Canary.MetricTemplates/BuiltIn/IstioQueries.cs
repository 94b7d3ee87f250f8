namespace Canary.MetricTemplates.BuiltIn;

/// <summary>Istio sidecar (destination reporter) metrics; also Flagger's fallback for unknown providers.</summary>
internal static class IstioQueries
{
    public static BuiltInMetricSet Set { get; } = new BuiltInMetricSet(
        "istio",
        """
        sum(
            rate(
                istio_requests_total{
                    reporter="destination",
                    destination_workload_namespace="{{ namespace }}",
                    destination_workload=~"{{ target }}",
                    response_code!~"5.*"
                }[{{ interval }}]
            )
        )
        /
        sum(
            rate(
                istio_requests_total{
                    reporter="destination",
                    destination_workload_namespace="{{ namespace }}",
                    destination_workload=~"{{ target }}"
                }[{{ interval }}]
            )
        )
        * 100
        """,
        """
        histogram_quantile(
            0.99,
            sum(
                rate(
                    istio_request_duration_milliseconds_bucket{
                        reporter="destination",
                        destination_workload_namespace="{{ namespace }}",
                        destination_workload=~"{{ target }}"
                    }[{{ interval }}]
                )
            ) by (le)
        )
        """).With(
        "istio_requests_total",
        "reporter=\"destination\",destination_workload_namespace=\"{{ namespace }}\",destination_workload=\"{{ workload }}\"",
        "response_code=~\"5.*\"",
        "istio_request_duration_milliseconds_bucket",
        "reporter=\"destination\",destination_workload_namespace=\"{{ namespace }}\",destination_workload=\"{{ workload }}\"",
        1);
}
