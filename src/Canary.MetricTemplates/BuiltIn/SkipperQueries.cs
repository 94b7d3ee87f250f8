namespace Canary.MetricTemplates.BuiltIn;

/// <summary>
/// Skipper's route metrics of the canary Ingress' canary backend (Flagger's skipper observer). Skipper names a route
/// from an Ingress <c>kube_&lt;ns&gt;__&lt;ingress&gt;__&lt;host&gt;__&lt;path&gt;__&lt;service&gt;</c> (<c>kubeew_</c> for east-west
/// routes) with every non-word character turned into <c>_</c>, so the variables are encoded the same way here, as
/// Flagger's <c>encodeModelForSkipper</c> does. The duration is the mean (Flagger's query), in milliseconds.
/// </summary>
internal static class SkipperQueries
{
    // {{ ingress }} is ingressRef.name; its canary Ingress is <ingress>-canary, whose backends are <apex>-primary/-canary.
    private const string Route = "kube(ew)?_{{ namespace | regex.replace `\\W` `_` }}__{{ ingress | regex.replace `\\W` `_` }}_canary__.*__{{ service | regex.replace `\\W` `_` }}";

    private const string CanaryRoute = "route=~\"" + Route + "_canary(_[0-9]+)?\"";

    // Judge: each side's backend in the canary Ingress has its own routes.
    private const string Side = "route=~\"" + Route + "_{{ side }}(_[0-9]+)?\"";

    // Flagger's text, which has no line breaks inside the selectors.
    public static BuiltInMetricSet Set { get; } = new BuiltInMetricSet(
        "skipper",
        "sum(rate(skipper_response_duration_seconds_bucket{" + CanaryRoute + ",code!~\"5..\",le=\"+Inf\"}[{{ interval }}])) / \n" +
        "sum(rate(skipper_response_duration_seconds_bucket{" + CanaryRoute + ",le=\"+Inf\"}[{{ interval }}])) * 100",
        "sum(rate(skipper_serve_route_duration_seconds_sum{" + CanaryRoute + "}[{{ interval }}])) / \n" +
        "sum(rate(skipper_serve_route_duration_seconds_count{" + CanaryRoute + "}[{{ interval }}])) * 1000",
        DurationStatistic: "mean").WithJudge(
        "skipper_serve_route_duration_seconds_count",
        Side,
        "code=~\"5..\"",
        "skipper_serve_route_duration_seconds_bucket",
        bucketsToMilliseconds: 1000);
}
