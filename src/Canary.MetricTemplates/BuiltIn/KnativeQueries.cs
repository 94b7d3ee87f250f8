namespace Canary.MetricTemplates.BuiltIn;

/// <summary>
/// Envoy cluster metrics of a Knative revision, the cluster named <c>&lt;namespace&gt;/&lt;revision&gt;</c>, with
/// <c>{{ route }}</c> the Knative Service's latest created revision (Flagger's knative observer); the judge renders the
/// primary side with the primary revision (see <see cref="Templates.MetricRoutes"/>).
/// </summary>
internal static class KnativeQueries
{
    private const string Cluster = "envoy_cluster_name=~\"{{ namespace }}/{{ route }}\"";

    public static BuiltInMetricSet Set { get; } = new BuiltInMetricSet(
        "knative",
        """
        sum(
            rate(
                envoy_cluster_upstream_rq{
                    envoy_cluster_name=~"{{ namespace }}/{{ route }}",
                    envoy_response_code!~"5.*"
                }[{{ interval }}]
            )
        )
        /
        sum(
            rate(
                envoy_cluster_upstream_rq{
                    envoy_cluster_name=~"{{ namespace }}/{{ route }}",
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
                        envoy_cluster_name=~"{{ namespace }}/{{ route }}",
                    }[{{ interval }}]
                )
            ) by (le)
        )
        """).WithJudge(
        "envoy_cluster_upstream_rq",
        Cluster,
        "envoy_response_code" + JudgeQueries.Status5xx,
        "envoy_cluster_upstream_rq_time_bucket",
        bucketsToMilliseconds: 1);
}
