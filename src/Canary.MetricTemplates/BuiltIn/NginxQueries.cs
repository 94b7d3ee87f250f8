namespace Canary.MetricTemplates.BuiltIn;

/// <summary>ingress-nginx controller metrics of the canary Ingress. Duration is the mean (no per-ingress histogram in Flagger's query).</summary>
internal static class NginxQueries
{
    private const string Side = "namespace=\"{{ namespace }}\",ingress=\"{{ ingress }}\",canary{{ if side == \"canary\" }}!={{ else }}={{ end }}\"\"";

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
        DurationStatistic: "mean").WithJudge(
        // Judge: NGINX labels every request with the main Ingress; the canary label names the canary upstream when the
        // canary Ingress served it and is empty for the main Ingress' backend (the primary).
        "nginx_ingress_controller_requests",
        Side,
        "status" + JudgeQueries.Status5xx,
        "nginx_ingress_controller_response_duration_seconds_bucket",
        bucketsToMilliseconds: 1000);
}
