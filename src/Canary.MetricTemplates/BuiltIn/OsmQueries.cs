namespace Canary.MetricTemplates.BuiltIn;

/// <summary>Open Service Mesh metrics of the canary deployment.</summary>
internal static class OsmQueries
{
    private const string Side = "destination_namespace=\"{{ namespace }}\",destination_kind=\"Deployment\",destination_name=\"{{ workload }}\"";

    public static BuiltInMetricSet Set { get; } = new BuiltInMetricSet(
        "osm",
        """
        sum(
            rate(
                osm_request_total{
                    destination_namespace="{{ namespace }}",
                    destination_kind="Deployment",
                    destination_name="{{ target }}",
                    response_code!~"5.*"
                }[{{ interval }}]
            )
        )
        /
        sum(
            rate(
                osm_request_total{
                    destination_namespace="{{ namespace }}",
                    destination_kind="Deployment",
                    destination_name="{{ target }}"
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
                    osm_request_duration_ms_bucket{
                        destination_namespace="{{ namespace }}",
                        destination_kind="Deployment",
                        destination_name="{{ target }}"
                    }[{{ interval }}]
                )
            ) by (le)
        )
        """).WithJudge(
        // Judge: requests to the side's Deployment.
        "osm_request_total",
        Side,
        "response_code" + JudgeQueries.Status5xx,
        "osm_request_duration_ms_bucket",
        bucketsToMilliseconds: 1);
}
