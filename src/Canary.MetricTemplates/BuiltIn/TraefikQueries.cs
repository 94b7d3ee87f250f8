namespace Canary.MetricTemplates.BuiltIn;

/// <summary>Traefik service metrics of the generated canary TraefikService backend.</summary>
internal static class TraefikQueries
{
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
        """).With(
        "traefik_service_request_duration_seconds_bucket",
        "service=~\"{{ namespace }}-{{ target }}-{{ side }}-[0-9a-zA-Z-]+@kubernetescrd\",le=\"+Inf\"",
        "code=~\"5..\"",
        "traefik_service_request_duration_seconds_bucket",
        "service=~\"{{ namespace }}-{{ target }}-{{ side }}-[0-9a-zA-Z-]+@kubernetescrd\"",
        1000);
}
