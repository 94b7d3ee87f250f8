namespace Canary.MetricTemplates.BuiltIn;

/// <summary>Istio sidecar (destination reporter) metrics; also Flagger's fallback for unknown providers.</summary>
internal static class IstioQueries
{
    private const string Side = "reporter=\"destination\",destination_workload_namespace=\"{{ namespace }}\",destination_workload=\"{{ workload }}\"";

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
        """).WithJudge(
        // Judge: the destination sidecars of the side's Deployment (Istio labels destination_workload with it).
        "istio_requests_total",
        Side,
        "response_code" + JudgeQueries.Status5xx,
        "istio_request_duration_milliseconds_bucket",
        bucketsToMilliseconds: 1);
}
