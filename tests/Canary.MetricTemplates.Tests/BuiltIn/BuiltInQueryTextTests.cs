using Canary.MetricTemplates.BuiltIn;
using Canary.MetricTemplates.Providers;
using Canary.MetricTemplates.Templates;
using Canary.MetricTemplates.Tests.Fixtures;

namespace Canary.MetricTemplates.Tests.BuiltIn;

public sealed class BuiltInQueryTextTests
{
    // Flagger 1.44's built-in query text, verbatim from fluxcd/flagger pkg/metrics/observers/*.go, before rendering.
    private static readonly Dictionary<string, (string SuccessRate, string Duration)> Flagger = new()
    {
        ["istio"] = (
            """sum( rate( istio_requests_total{ reporter="destination", destination_workload_namespace="{{ namespace }}", destination_workload=~"{{ target }}", response_code!~"5.*" }[{{ interval }}] ) ) / sum( rate( istio_requests_total{ reporter="destination", destination_workload_namespace="{{ namespace }}", destination_workload=~"{{ target }}" }[{{ interval }}] ) ) * 100""",
            """histogram_quantile( 0.99, sum( rate( istio_request_duration_milliseconds_bucket{ reporter="destination", destination_workload_namespace="{{ namespace }}", destination_workload=~"{{ target }}" }[{{ interval }}] ) ) by (le) )"""),
        ["linkerd"] = (
            """sum( rate( response_total{ namespace="{{ namespace }}", deployment=~"{{ target }}", classification!="failure", direction="inbound" }[{{ interval }}] ) ) / sum( rate( response_total{ namespace="{{ namespace }}", deployment=~"{{ target }}", direction="inbound" }[{{ interval }}] ) ) * 100""",
            """histogram_quantile( 0.99, sum( rate( response_latency_ms_bucket{ namespace="{{ namespace }}", deployment=~"{{ target }}", direction="inbound" }[{{ interval }}] ) ) by (le) )"""),
        ["appmesh"] = (
            """sum( rate( envoy_cluster_upstream_rq{ kubernetes_namespace="{{ namespace }}", kubernetes_pod_name=~"{{ target }}-[0-9a-zA-Z]+(-[0-9a-zA-Z]+)", envoy_response_code!~"5.*" }[{{ interval }}] ) ) / sum( rate( envoy_cluster_upstream_rq{ kubernetes_namespace="{{ namespace }}", kubernetes_pod_name=~"{{ target }}-[0-9a-zA-Z]+(-[0-9a-zA-Z]+)" }[{{ interval }}] ) ) * 100""",
            """histogram_quantile( 0.99, sum( rate( envoy_cluster_upstream_rq_time_bucket{ kubernetes_namespace="{{ namespace }}", kubernetes_pod_name=~"{{ target }}-[0-9a-zA-Z]+(-[0-9a-zA-Z]+)" }[{{ interval }}] ) ) by (le) )"""),
        ["nginx"] = (
            """sum( rate( nginx_ingress_controller_requests{ namespace="{{ namespace }}", ingress="{{ ingress }}", canary!="", status!~"5.*" }[{{ interval }}] ) ) / sum( rate( nginx_ingress_controller_requests{ namespace="{{ namespace }}", ingress="{{ ingress }}", canary!="" }[{{ interval }}] ) ) * 100""",
            """sum( rate( nginx_ingress_controller_response_duration_seconds_sum{ namespace="{{ namespace }}", ingress="{{ ingress }}", canary!="" }[{{ interval }}] ) ) / sum( rate( nginx_ingress_controller_response_duration_seconds_count{ namespace="{{ namespace }}", ingress="{{ ingress }}", canary!="" }[{{ interval }}] ) ) * 1000"""),
        ["contour"] = (
            """sum( rate( envoy_cluster_upstream_rq{ envoy_cluster_name=~"{{ namespace }}_{{ service }}-canary_[0-9a-zA-Z-]+", envoy_response_code!~"5.*" }[{{ interval }}] ) ) / sum( rate( envoy_cluster_upstream_rq{ envoy_cluster_name=~"{{ namespace }}_{{ service }}-canary_[0-9a-zA-Z-]+", }[{{ interval }}] ) ) * 100""",
            """histogram_quantile( 0.99, sum( rate( envoy_cluster_upstream_rq_time_bucket{ envoy_cluster_name=~"{{ namespace }}_{{ service }}-canary_[0-9a-zA-Z-]+", }[{{ interval }}] ) ) by (le) )"""),
        ["gloo"] = (
            """sum( rate( envoy_cluster_upstream_rq{ envoy_cluster_name=~"{{ namespace }}-{{ target }}-canaryupstream-[0-9a-zA-Z-]+_[0-9a-zA-Z-]+", envoy_response_code!~"5.*" }[{{ interval }}] ) ) / sum( rate( envoy_cluster_upstream_rq{ envoy_cluster_name=~"{{ namespace }}-{{ target }}-canaryupstream-[0-9a-zA-Z-]+_[0-9a-zA-Z-]+", }[{{ interval }}] ) ) * 100""",
            """histogram_quantile( 0.99, sum( rate( envoy_cluster_upstream_rq_time_bucket{ envoy_cluster_name=~"{{ namespace }}-{{ target }}-canaryupstream-[0-9a-zA-Z-]+_[0-9a-zA-Z-]+", }[{{ interval }}] ) ) by (le) )"""),
        ["traefik"] = (
            """sum( rate( traefik_service_request_duration_seconds_bucket{ service=~"{{ namespace }}-{{ target }}-canary-[0-9a-zA-Z-]+@kubernetescrd", code!~"5..", le="+Inf" }[{{ interval }}] ) ) / sum( rate( traefik_service_request_duration_seconds_bucket{ service=~"{{ namespace }}-{{ target }}-canary-[0-9a-zA-Z-]+@kubernetescrd", le="+Inf" }[{{ interval }}] ) ) * 100""",
            """histogram_quantile( 0.99, sum( rate( traefik_service_request_duration_seconds_bucket{ service=~"{{ namespace }}-{{ target }}-canary-[0-9a-zA-Z-]+@kubernetescrd" }[{{ interval }}] ) ) by (le) ) * 1000"""),
        ["kuma"] = (
            """sum( rate( envoy_cluster_upstream_rq{ service=~"{{ target }}-canary_{{ namespace }}_svc_[0-9a-zA-Z-]+", envoy_response_code!~"5.*" }[{{ interval }}] ) ) / sum( rate( envoy_cluster_upstream_rq{ service=~"{{ target }}-canary_{{ namespace }}_svc_[0-9a-zA-Z-]+", }[{{ interval }}] ) ) * 100""",
            """histogram_quantile( 0.99, sum( rate( envoy_cluster_upstream_rq_time_bucket{ service=~"{{ target }}-canary_{{ namespace }}_svc_[0-9a-zA-Z-]+", }[{{ interval }}] ) ) by (le) )"""),
        ["osm"] = (
            """sum( rate( osm_request_total{ destination_namespace="{{ namespace }}", destination_kind="Deployment", destination_name="{{ target }}", response_code!~"5.*" }[{{ interval }}] ) ) / sum( rate( osm_request_total{ destination_namespace="{{ namespace }}", destination_kind="Deployment", destination_name="{{ target }}" }[{{ interval }}] ) ) * 100""",
            """histogram_quantile( 0.99, sum( rate( osm_request_duration_ms_bucket{ destination_namespace="{{ namespace }}", destination_kind="Deployment", destination_name="{{ target }}" }[{{ interval }}] ) ) by (le) )"""),
        ["apisix"] = (
            """sum( rate( apisix_http_status{ route=~"{{ namespace }}_{{ route }}-{{ target }}-canary_.+", code!~"5.." }[{{ interval }}] ) ) / sum( rate( apisix_http_status{ route=~"{{ namespace }}_{{ route }}-{{ target }}-canary_.+" }[{{ interval }}] ) ) * 100""",
            """histogram_quantile( 0.99, sum( rate( apisix_http_latency_bucket{ type=~"request", route=~"{{ namespace }}_{{ route }}-{{ target }}-canary_.+" }[{{ interval }}] ) ) by (le) )"""),
        ["knative"] = (
            """sum( rate( envoy_cluster_upstream_rq{ envoy_cluster_name=~"{{ namespace }}/{{ route }}", envoy_response_code!~"5.*" }[{{ interval }}] ) ) / sum( rate( envoy_cluster_upstream_rq{ envoy_cluster_name=~"{{ namespace }}/{{ route }}", }[{{ interval }}] ) ) * 100""",
            """histogram_quantile( 0.99, sum( rate( envoy_cluster_upstream_rq_time_bucket{ envoy_cluster_name=~"{{ namespace }}/{{ route }}", }[{{ interval }}] ) ) by (le) )"""),
        ["kubernetes"] = (
            """sum( rate( http_request_duration_seconds_count{ kubernetes_namespace="{{ namespace }}", kubernetes_pod_name=~"{{ target }}-[0-9a-zA-Z]+(-[0-9a-zA-Z]+)", status!~"5.*" }[{{ interval }}] ) ) / sum( rate( http_request_duration_seconds_count{ kubernetes_namespace="{{ namespace }}", kubernetes_pod_name=~"{{ target }}-[0-9a-zA-Z]+(-[0-9a-zA-Z]+)" }[{{ interval }}] ) ) * 100""",
            """histogram_quantile( 0.99, sum( rate( http_request_duration_seconds_bucket{ kubernetes_namespace="{{ namespace }}", kubernetes_pod_name=~"{{ target }}-[0-9a-zA-Z]+(-[0-9a-zA-Z]+)" }[{{ interval }}] ) ) by (le) )"""),
    };

    private readonly MetricQueryRenderer _renderer = new();

    public static TheoryData<string, string> Providers => new()
    {
        { "istio", "istio" },
        { "linkerd", "linkerd" },
        { "appmesh", "appmesh" },
        { "appmesh:v1beta2", "appmesh" },
        { "nginx", "nginx" },
        { "contour", "contour" },
        { "gloo", "gloo" },
        { "traefik", "traefik" },
        { "kuma", "kuma" },
        { "osm", "osm" },
        { "apisix", "apisix" },
        { "kubernetes", "kubernetes" },
        { "knative", "knative" },
        { "smi:v1alpha3", "istio" },
        { "", "istio" },
    };

    [Theory]
    [MemberData(nameof(Providers))]
    public void Built_in_queries_render_to_Flaggers_exact_text(string provider, string flaggerObserver)
    {
        var set = BuiltInMetricTemplates.Find(provider);

        Assert.NotNull(set);
        Assert.Equal(Expected(Flagger[flaggerObserver].SuccessRate), Render(set.RequestSuccessRateQuery));
        Assert.Equal(Expected(Flagger[flaggerObserver].Duration), Render(set.RequestDurationQuery));
    }

    [Theory]
    [InlineData("gatewayapi")]
    [InlineData("gatewayapi:v1")]
    [InlineData("gatewayapi:v1beta1")]
    public void Gateway_api_uses_Envoy_cluster_metrics_of_the_canary_service(string provider)
    {
        // Deliberate divergence: Flagger uses its HttpObserver (application metrics) here; we use the Envoy data plane's.
        var set = BuiltInMetricTemplates.Find(provider);

        Assert.NotNull(set);
        Assert.Equal("gatewayapi", set.Provider);
        Assert.Equal(Expected(Flagger["contour"].SuccessRate), Render(set.RequestSuccessRateQuery));
        Assert.Equal(Expected(Flagger["contour"].Duration), Render(set.RequestDurationQuery));
    }

    [Fact]
    public void Skipper_queries_render_to_Flaggers_text_with_the_names_encoded_as_Skipper_route_ids()
    {
        // Flagger's skipper observer after encodeModelForSkipper (every non-word character becomes _), Canary in
        // namespace my-apps with ingressRef my-ingress and service podinfo.
        const string route = "route=~\"kube(ew)?_my_apps__my_ingress_canary__.*__podinfo_canary(_[0-9]+)?\"";
        var canary = Canaries.Podinfo();
        canary.Metadata.NamespaceProperty = "my-apps";
        canary.Spec.IngressRef = new() { Name = "my-ingress" };
        var model = MetricTemplateModel.FromCanary(canary, Canaries.Metric("request-success-rate"));
        var set = BuiltInMetricTemplates.Find("skipper")!;

        Assert.Equal(
            $"sum(rate(skipper_response_duration_seconds_bucket{{{route},code!~\"5..\",le=\"+Inf\"}}[1m])) / sum(rate(skipper_response_duration_seconds_bucket{{{route},le=\"+Inf\"}}[1m])) * 100",
            PrometheusProvider.CollapseWhitespace(_renderer.Render(set.RequestSuccessRateQuery, model)));
        Assert.Equal(
            $"sum(rate(skipper_serve_route_duration_seconds_sum{{{route}}}[1m])) / sum(rate(skipper_serve_route_duration_seconds_count{{{route}}}[1m])) * 1000",
            PrometheusProvider.CollapseWhitespace(_renderer.Render(set.RequestDurationQuery, model)));
        Assert.Equal("mean", set.DurationStatistic);
    }

    [Fact]
    public void Knative_queries_read_the_latest_revision_the_target_names()
    {
        // Flagger's knative observer: {{ route }} is the Knative Service's latest created revision.
        var model = MetricTemplateModel.FromCanary(Canaries.Podinfo("knative"), Canaries.Metric("request-success-rate"), new MetricRoutes("podinfo-00002", "podinfo-00001"));
        var set = BuiltInMetricTemplates.Find("knative")!;

        Assert.Equal(
            Expected(Flagger["knative"].SuccessRate).Replace("test/podinfo", "test/podinfo-00002", StringComparison.Ordinal),
            PrometheusProvider.CollapseWhitespace(_renderer.Render(set.RequestSuccessRateQuery, model)));
    }

    [Theory]
    [InlineData("kubernetes", 1000)]
    [InlineData("istio", 1)]
    [InlineData("nginx", 1)]
    [InlineData("traefik", 1)]
    public void Request_duration_unit_is_converted_to_milliseconds(string provider, double factor) =>
        Assert.Equal(factor, BuiltInMetricTemplates.Find(provider)!.DurationToMilliseconds);

    [Theory]
    [InlineData(null, null, "istio")]
    [InlineData(null, "nginx", "nginx")]
    [InlineData("contour", "istio", "contour")]
    [InlineData("gatewayapi:v1", "linkerd", "linkerd")]
    [InlineData("smi:v1alpha3", "smi:linkerd", "linkerd")]
    public void Provider_selection_follows_Flagger(string? canaryProvider, string? controllerDefault, string expected) =>
        Assert.Equal(expected, BuiltInMetricTemplates.SelectProvider(canaryProvider, controllerDefault));

    private string Render(string template)
    {
        var model = MetricTemplateModel.FromCanary(Canaries.Podinfo(), Canaries.Metric("request-success-rate"));
        return PrometheusProvider.CollapseWhitespace(_renderer.Render(template, model));
    }

    private static string Expected(string flaggerText) => flaggerText
        .Replace("{{ namespace }}", "test", StringComparison.Ordinal)
        .Replace("{{ target }}", "podinfo", StringComparison.Ordinal)
        .Replace("{{ service }}", "podinfo", StringComparison.Ordinal)
        .Replace("{{ ingress }}", "podinfo", StringComparison.Ordinal)
        .Replace("{{ route }}", "podinfo", StringComparison.Ordinal)
        .Replace("{{ interval }}", "1m", StringComparison.Ordinal);
}
