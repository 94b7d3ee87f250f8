namespace Canary.MetricTemplates.BuiltIn;

/// <summary>ingress-nginx controller metrics of the canary Ingress. Duration is the mean (no per-ingress histogram in Flagger's query).</summary>
internal static class NginxQueries
{
    public static BuiltInMetricSet Set { get; } = new BuiltInMetricSet(
        "nginx",
        """
        sum(
            rate(
                nginx_ingress_controller_requests{
                    namespace="{{ namespace }}",
                    ingress="{{ ingress }}",
                    canary!="",
                    status!~"5.*"
                }[{{ interval }}]
            )
        )
        /
        sum(
            rate(
                nginx_ingress_controller_requests{
                    namespace="{{ namespace }}",
                    ingress="{{ ingress }}",
                    canary!=""
                }[{{ interval }}]
            )
        )
        * 100
        """,
        """
        sum(
            rate(
                nginx_ingress_controller_response_duration_seconds_sum{
                    namespace="{{ namespace }}",
                    ingress="{{ ingress }}",
                    canary!=""
                }[{{ interval }}]
            )
        )
        /
        sum(
            rate(
                nginx_ingress_controller_response_duration_seconds_count{
                    namespace="{{ namespace }}",
                    ingress="{{ ingress }}",
                    canary!=""
                }[{{ interval }}]
            )
        )
        * 1000
        """,
        DurationStatistic: "mean").With(
        "nginx_ingress_controller_requests",
        "namespace=\"{{ namespace }}\",ingress=\"{{ ingress }}\",canary{{ if side == \"canary\" }}!={{ else }}={{ end }}\"\"",
        "status=~\"5.*\"",
        "nginx_ingress_controller_response_duration_seconds_bucket",
        "namespace=\"{{ namespace }}\",ingress=\"{{ ingress }}\",canary{{ if side == \"canary\" }}!={{ else }}={{ end }}\"\"",
        1000);
}
