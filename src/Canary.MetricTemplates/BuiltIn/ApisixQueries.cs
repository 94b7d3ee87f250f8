namespace Canary.MetricTemplates.BuiltIn;

/// <summary>Apache APISIX metrics of the generated canary route.</summary>
internal static class ApisixQueries
{
    public static BuiltInMetricSet Set { get; } = new BuiltInMetricSet(
        "apisix",
        """
        sum(
            rate(
                apisix_http_status{
                    route=~"{{ namespace }}_{{ route }}-{{ target }}-canary_.+",
                    code!~"5.."
                }[{{ interval }}]
            )
        )
        /
        sum(
            rate(
                apisix_http_status{
                    route=~"{{ namespace }}_{{ route }}-{{ target }}-canary_.+"
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
                    apisix_http_latency_bucket{
                        type=~"request",
                        route=~"{{ namespace }}_{{ route }}-{{ target }}-canary_.+"
                    }[{{ interval }}]
                )
            ) by (le)
        )
        """).With(
        "apisix_http_status",
        "route=~\"{{ namespace }}_{{ route }}-{{ target }}-{{ side }}_.+\"",
        "code=~\"5..\"",
        "apisix_http_latency_bucket",
        "type=\"request\",route=~\"{{ namespace }}_{{ route }}-{{ target }}-{{ side }}_.+\"",
        1);
}
