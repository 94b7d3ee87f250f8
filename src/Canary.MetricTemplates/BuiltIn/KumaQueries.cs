namespace Canary.MetricTemplates.BuiltIn;

/// <summary>Kuma data-plane Envoy metrics of the canary service.</summary>
internal static class KumaQueries
{
    private const string Side = "service=~\"{{ target }}-{{ side }}_{{ namespace }}_svc_[0-9a-zA-Z-]+\"";

    public static BuiltInMetricSet Set { get; } = new BuiltInMetricSet(
        "kuma",
        """
        sum(
            rate(
                envoy_cluster_upstream_rq{
                    service=~"{{ target }}-canary_{{ namespace }}_svc_[0-9a-zA-Z-]+",
                    envoy_response_code!~"5.*"
                }[{{ interval }}]
            )
        )
        /
        sum(
            rate(
                envoy_cluster_upstream_rq{
                    service=~"{{ target }}-canary_{{ namespace }}_svc_[0-9a-zA-Z-]+",
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
                        service=~"{{ target }}-canary_{{ namespace }}_svc_[0-9a-zA-Z-]+",
                    }[{{ interval }}]
                )
            ) by (le)
        )
        """).WithJudge(
        // Judge: the TrafficRoute splits between the Kuma services <apex>-primary_<ns>_svc_<port> and <apex>-canary_...
        "envoy_cluster_upstream_rq",
        Side,
        "envoy_response_code" + JudgeQueries.Status5xx,
        "envoy_cluster_upstream_rq_time_bucket",
        bucketsToMilliseconds: 1);
}
