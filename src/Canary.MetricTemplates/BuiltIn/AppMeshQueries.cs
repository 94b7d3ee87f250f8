namespace Canary.MetricTemplates.BuiltIn;

/// <summary>App Mesh Envoy sidecar metrics of the canary pods.</summary>
internal static class AppMeshQueries
{
    private const string Side = "kubernetes_namespace=\"{{ namespace }}\",kubernetes_pod_name=~\"{{ workload }}-[0-9a-zA-Z]+(-[0-9a-zA-Z]+)\"";

    public static BuiltInMetricSet Set { get; } = new BuiltInMetricSet(
        "appmesh",
        """
        sum(
            rate(
                envoy_cluster_upstream_rq{
                    kubernetes_namespace="{{ namespace }}",
                    kubernetes_pod_name=~"{{ target }}-[0-9a-zA-Z]+(-[0-9a-zA-Z]+)",
                    envoy_response_code!~"5.*"
                }[{{ interval }}]
            )
        )
        /
        sum(
            rate(
                envoy_cluster_upstream_rq{
                    kubernetes_namespace="{{ namespace }}",
                    kubernetes_pod_name=~"{{ target }}-[0-9a-zA-Z]+(-[0-9a-zA-Z]+)"
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
                        kubernetes_namespace="{{ namespace }}",
                        kubernetes_pod_name=~"{{ target }}-[0-9a-zA-Z]+(-[0-9a-zA-Z]+)"
                    }[{{ interval }}]
                )
            ) by (le)
        )
        """).WithJudge(
        // Judge: the Envoy sidecars of the side's pods (<workload>-<replicaset hash>-<pod suffix>; anchored, so the
        // canary's pattern does not match <target>-primary-... pods). All clusters of the pod, as Flagger's query.
        "envoy_cluster_upstream_rq",
        Side,
        "envoy_response_code" + JudgeQueries.Status5xx,
        "envoy_cluster_upstream_rq_time_bucket",
        bucketsToMilliseconds: 1);
}
