namespace Canary.MetricTemplates.BuiltIn;

/// <summary>Gloo Edge Envoy metrics of the generated canary upstream.</summary>
internal static class GlooQueries
{
    private const string Side = "envoy_cluster_name=~\"{{ namespace }}-{{ target }}-{{ side }}upstream-[0-9a-zA-Z-]+_[0-9a-zA-Z-]+\"";

    public static BuiltInMetricSet Set { get; } = new BuiltInMetricSet(
        "gloo",
        """
        sum(
            rate(
                envoy_cluster_upstream_rq{
                    envoy_cluster_name=~"{{ namespace }}-{{ target }}-canaryupstream-[0-9a-zA-Z-]+_[0-9a-zA-Z-]+",
                    envoy_response_code!~"5.*"
                }[{{ interval }}]
            )
        )
        /
        sum(
            rate(
                envoy_cluster_upstream_rq{
                    envoy_cluster_name=~"{{ namespace }}-{{ target }}-canaryupstream-[0-9a-zA-Z-]+_[0-9a-zA-Z-]+",
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
                    envoy_cluster_upstream_rq_time_bucket{
                        envoy_cluster_name=~"{{ namespace }}-{{ target }}-canaryupstream-[0-9a-zA-Z-]+_[0-9a-zA-Z-]+",
                    }[{{ interval }}]
                )
            ) by (le)
        )
        """).WithJudge(
        // Judge: Flagger creates one Gloo upstream per side, <ns>-<apex>-canaryupstream-<port> and -primaryupstream-.
        "envoy_cluster_upstream_rq",
        Side,
        "envoy_response_code" + JudgeQueries.Status5xx,
        "envoy_cluster_upstream_rq_time_bucket",
        bucketsToMilliseconds: 1);
}
