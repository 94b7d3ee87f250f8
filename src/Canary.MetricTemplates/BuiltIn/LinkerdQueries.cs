namespace Canary.MetricTemplates.BuiltIn;

/// <summary>Linkerd proxy inbound metrics of the canary deployment.</summary>
internal static class LinkerdQueries
{
    private const string Side = "namespace=\"{{ namespace }}\",deployment=\"{{ workload }}\",direction=\"inbound\"";

    public static BuiltInMetricSet Set { get; } = new BuiltInMetricSet(
        "linkerd",
        """
        sum(
            rate(
                response_total{
                    namespace="{{ namespace }}",
                    deployment=~"{{ target }}",
                    classification!="failure",
                    direction="inbound"
                }[{{ interval }}]
            )
        )
        /
        sum(
            rate(
                response_total{
                    namespace="{{ namespace }}",
                    deployment=~"{{ target }}",
                    direction="inbound"
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
                    response_latency_ms_bucket{
                        namespace="{{ namespace }}",
                        deployment=~"{{ target }}",
                        direction="inbound"
                    }[{{ interval }}]
                )
            ) by (le)
        )
        """).WithJudge(
        // Judge: inbound responses of the side's Deployment; Linkerd classifies 5xx (and gRPC errors) as "failure".
        "response_total",
        Side,
        "classification=\"failure\"",
        "response_latency_ms_bucket",
        bucketsToMilliseconds: 1);
}
