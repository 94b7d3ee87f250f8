namespace Canary.MetricTemplates.BuiltIn;

/// <summary>
/// The application's own <c>http_request_duration_seconds</c> histogram (Flagger's HttpObserver), scraped with
/// <c>kubernetes_namespace</c>/<c>kubernetes_pod_name</c> labels; for the kubernetes provider (no data plane).
/// </summary>
internal static class HttpQueries
{
    private const string Side = "kubernetes_namespace=\"{{ namespace }}\",kubernetes_pod_name=~\"{{ workload }}-[0-9a-zA-Z]+(-[0-9a-zA-Z]+)\"";

    public static BuiltInMetricSet Set { get; } = new BuiltInMetricSet(
        "kubernetes",
        """
        sum(
            rate(
                http_request_duration_seconds_count{
                    kubernetes_namespace="{{ namespace }}",
                    kubernetes_pod_name=~"{{ target }}-[0-9a-zA-Z]+(-[0-9a-zA-Z]+)",
                    status!~"5.*"
                }[{{ interval }}]
            )
        )
        /
        sum(
            rate(
                http_request_duration_seconds_count{
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
                    http_request_duration_seconds_bucket{
                        kubernetes_namespace="{{ namespace }}",
                        kubernetes_pod_name=~"{{ target }}-[0-9a-zA-Z]+(-[0-9a-zA-Z]+)"
                    }[{{ interval }}]
                )
            ) by (le)
        )
        """,
        DurationToMilliseconds: 1000).WithJudge(
        // Judge: the application's own histogram of the side's pods, named <workload>-<replicaset hash>-<pod suffix>.
        // Prometheus regexes are anchored and the group is not repeated, so podinfo-x-y matches the canary's pattern
        // and podinfo-primary-x-y (one segment too many) does not.
        "http_request_duration_seconds_count",
        Side,
        "status" + JudgeQueries.Status5xx,
        "http_request_duration_seconds_bucket",
        bucketsToMilliseconds: 1000);
}
