namespace Canary.MetricTemplates.BuiltIn;

/// <summary>Gloo Edge Envoy metrics of the generated canary upstream.</summary>
internal static class GlooQueries
{
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
        """).With(
        "envoy_cluster_upstream_rq",
        "envoy_cluster_name=~\"{{ namespace }}-{{ target }}-{{ side }}upstream-[0-9a-zA-Z-]+_[0-9a-zA-Z-]+\"",
        "envoy_response_code=~\"5.*\"",
        "envoy_cluster_upstream_rq_time_bucket",
        "envoy_cluster_name=~\"{{ namespace }}-{{ target }}-{{ side }}upstream-[0-9a-zA-Z-]+_[0-9a-zA-Z-]+\"",
        1);
}
