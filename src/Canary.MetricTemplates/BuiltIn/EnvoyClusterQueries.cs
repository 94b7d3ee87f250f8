namespace Canary.MetricTemplates.BuiltIn;

/// <summary>
/// Envoy upstream-cluster metrics of the canary Service's cluster, named <c>&lt;namespace&gt;_&lt;service&gt;-canary_&lt;port&gt;</c>
/// as Contour programs Envoy. Used for contour and, deliberately, for gatewayapi (see <see cref="BuiltInMetricTemplates"/>).
/// </summary>
internal static class EnvoyClusterQueries
{
    public const string RequestSuccessRate =
        """
        sum(
            rate(
                envoy_cluster_upstream_rq{
                    envoy_cluster_name=~"{{ namespace }}_{{ service }}-canary_[0-9a-zA-Z-]+",
                    envoy_response_code!~"5.*"
                }[{{ interval }}]
            )
        )
        /
        sum(
            rate(
                envoy_cluster_upstream_rq{
                    envoy_cluster_name=~"{{ namespace }}_{{ service }}-canary_[0-9a-zA-Z-]+",
                }[{{ interval }}]
            )
        )
        * 100
        """;

    public const string RequestDuration =
        """
        histogram_quantile(
            0.99,
            sum(
                rate(
                    envoy_cluster_upstream_rq_time_bucket{
                        envoy_cluster_name=~"{{ namespace }}_{{ service }}-canary_[0-9a-zA-Z-]+",
                    }[{{ interval }}]
                )
            ) by (le)
        )
        """;

    // Judge: Flagger routes to the Services <service>-primary and <service>-canary, each its own Envoy cluster.
    private const string Side = "envoy_cluster_name=~\"{{ namespace }}_{{ service }}-{{ side }}_[0-9a-zA-Z-]+\"";

    public static BuiltInMetricSet Contour { get; } = WithJudge(new("contour", RequestSuccessRate, RequestDuration));

    public static BuiltInMetricSet GatewayApi { get; } = WithJudge(new("gatewayapi", RequestSuccessRate, RequestDuration));

    private static BuiltInMetricSet WithJudge(BuiltInMetricSet set) => set.WithJudge(
        "envoy_cluster_upstream_rq",
        Side,
        "envoy_response_code" + JudgeQueries.Status5xx,
        "envoy_cluster_upstream_rq_time_bucket",
        bucketsToMilliseconds: 1);
}
