namespace Canary.MetricTemplates.BuiltIn;

/// <summary>
/// Apache APISIX metrics of the generated canary route. No judge queries: Flagger's ApisixRoute <c>&lt;route&gt;-canary</c>
/// holds both backends (primary and canary, weighted), and APISIX labels requests with the route, not the backend
/// (only <c>node</c>, the upstream pod's IP), so the two sides cannot be told apart. Counting the route for both sides
/// would compare the mix with itself and pass every canary; without the queries the judge reports that the provider
/// has no built-in judge queries and a MetricTemplate with <c>spec.judge</c> is needed.
/// </summary>
internal static class ApisixQueries
{
    public static BuiltInMetricSet Set { get; } = new(
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
        """);
}
