namespace Canary.MetricTemplates.BuiltIn;

/// <summary>Traefik service metrics of the generated canary TraefikService backend.</summary>
internal static class TraefikQueries
{
    private const string Side = "service=~\"{{ namespace }}-{{ target }}-{{ side }}-[0-9a-zA-Z-]+@kubernetescrd\"";

    public static BuiltInMetricSet Set { get; } = new BuiltInMetricSet(
        "traefik",
        """
        sum(
            rate(
                traefik_service_request_duration_seconds_bucket{
                    service=~"{{ namespace }}-{{ target }}-canary-[0-9a-zA-Z-]+@kubernetescrd",
                    code!~"5..",
                    le="+Inf"
                }[{{ interval }}]
            )
        )
        /
        sum(
            rate(
                traefik_service_request_duration_seconds_bucket{
                    service=~"{{ namespace }}-{{ target }}-canary-[0-9a-zA-Z-]+@kubernetescrd",
                    le="+Inf"
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
                    traefik_service_request_duration_seconds_bucket{
                        service=~"{{ namespace }}-{{ target }}-canary-[0-9a-zA-Z-]+@kubernetescrd"
                    }[{{ interval }}]
                )
            ) by (le)
        )
        * 1000
        """).WithJudge(
        // Judge: the TraefikService weighs the Services <apex>-primary and <apex>-canary, each its own Traefik service.
        "traefik_service_request_duration_seconds_count",
        Side,
        "code=~\"5..\"",
        "traefik_service_request_duration_seconds_bucket",
        bucketsToMilliseconds: 1000);
}
