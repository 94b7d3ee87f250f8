using System.Text.RegularExpressions;
using Canary.MetricTemplates.BuiltIn;
using Canary.MetricTemplates.Providers;
using Canary.MetricTemplates.Templates;
using Canary.MetricTemplates.Tests.Fixtures;

namespace Canary.MetricTemplates.Tests.BuiltIn;

/// <summary>
/// The judge's built-in per-side count queries: present for every data plane that labels the sides apart, rendered for
/// the canary (workload podinfo) and the primary (podinfo-primary) with each data plane's selector, in the born-series
/// form (value now minus value a window ago, or 0). The real Prometheus runs them in Canary.Sandbox.Tests.
/// </summary>
public sealed partial class JudgeQueryTests
{
    private const string Window = "37s";

    private readonly MetricQueryRenderer _renderer = new();

    /// <summary>Providers whose judge queries exist, with the factor from their bucket unit to milliseconds.</summary>
    public static TheoryData<string, double> Judged => new()
    {
        { "istio", 1 },
        { "linkerd", 1 },
        { "appmesh", 1 },
        { "nginx", 1000 },
        { "contour", 1 },
        { "gatewayapi", 1 },
        { "gloo", 1 },
        { "traefik", 1000 },
        { "kuma", 1 },
        { "osm", 1 },
        { "kubernetes", 1000 },
        { "skipper", 1000 },
        { "knative", 1 },
    };

    /// <summary>
    /// The selector of each side (canary, primary) as rendered for podinfo in namespace test, what the failures add, and
    /// the series names. Literal: this is the golden text of every provider's selectors.
    /// </summary>
    public static TheoryData<string, string, string, string, string, string> Selectors => new()
    {
        {
            "istio", "istio_requests_total", "istio_request_duration_milliseconds_bucket",
            "reporter=\"destination\",destination_workload_namespace=\"test\",destination_workload=\"podinfo\"",
            "reporter=\"destination\",destination_workload_namespace=\"test\",destination_workload=\"podinfo-primary\"",
            "response_code=~\"5.*\""
        },
        {
            "linkerd", "response_total", "response_latency_ms_bucket",
            "namespace=\"test\",deployment=\"podinfo\",direction=\"inbound\"",
            "namespace=\"test\",deployment=\"podinfo-primary\",direction=\"inbound\"",
            "classification=\"failure\""
        },
        {
            "appmesh", "envoy_cluster_upstream_rq", "envoy_cluster_upstream_rq_time_bucket",
            "kubernetes_namespace=\"test\",kubernetes_pod_name=~\"podinfo-[0-9a-zA-Z]+(-[0-9a-zA-Z]+)\"",
            "kubernetes_namespace=\"test\",kubernetes_pod_name=~\"podinfo-primary-[0-9a-zA-Z]+(-[0-9a-zA-Z]+)\"",
            "envoy_response_code=~\"5.*\""
        },
        {
            "nginx", "nginx_ingress_controller_requests", "nginx_ingress_controller_response_duration_seconds_bucket",
            "namespace=\"test\",ingress=\"podinfo\",canary!=\"\"",
            "namespace=\"test\",ingress=\"podinfo\",canary=\"\"",
            "status=~\"5.*\""
        },
        {
            "contour", "envoy_cluster_upstream_rq", "envoy_cluster_upstream_rq_time_bucket",
            "envoy_cluster_name=~\"test_podinfo-canary_[0-9a-zA-Z-]+\"",
            "envoy_cluster_name=~\"test_podinfo-primary_[0-9a-zA-Z-]+\"",
            "envoy_response_code=~\"5.*\""
        },
        {
            "gatewayapi", "envoy_cluster_upstream_rq", "envoy_cluster_upstream_rq_time_bucket",
            "envoy_cluster_name=~\"test_podinfo-canary_[0-9a-zA-Z-]+\"",
            "envoy_cluster_name=~\"test_podinfo-primary_[0-9a-zA-Z-]+\"",
            "envoy_response_code=~\"5.*\""
        },
        {
            "gloo", "envoy_cluster_upstream_rq", "envoy_cluster_upstream_rq_time_bucket",
            "envoy_cluster_name=~\"test-podinfo-canaryupstream-[0-9a-zA-Z-]+_[0-9a-zA-Z-]+\"",
            "envoy_cluster_name=~\"test-podinfo-primaryupstream-[0-9a-zA-Z-]+_[0-9a-zA-Z-]+\"",
            "envoy_response_code=~\"5.*\""
        },
        {
            "traefik", "traefik_service_request_duration_seconds_count", "traefik_service_request_duration_seconds_bucket",
            "service=~\"test-podinfo-canary-[0-9a-zA-Z-]+@kubernetescrd\"",
            "service=~\"test-podinfo-primary-[0-9a-zA-Z-]+@kubernetescrd\"",
            "code=~\"5..\""
        },
        {
            "kuma", "envoy_cluster_upstream_rq", "envoy_cluster_upstream_rq_time_bucket",
            "service=~\"podinfo-canary_test_svc_[0-9a-zA-Z-]+\"",
            "service=~\"podinfo-primary_test_svc_[0-9a-zA-Z-]+\"",
            "envoy_response_code=~\"5.*\""
        },
        {
            "osm", "osm_request_total", "osm_request_duration_ms_bucket",
            "destination_namespace=\"test\",destination_kind=\"Deployment\",destination_name=\"podinfo\"",
            "destination_namespace=\"test\",destination_kind=\"Deployment\",destination_name=\"podinfo-primary\"",
            "response_code=~\"5.*\""
        },
        {
            "skipper", "skipper_serve_route_duration_seconds_count", "skipper_serve_route_duration_seconds_bucket",
            "route=~\"kube(ew)?_test__podinfo_canary__.*__podinfo_canary(_[0-9]+)?\"",
            "route=~\"kube(ew)?_test__podinfo_canary__.*__podinfo_primary(_[0-9]+)?\"",
            "code=~\"5..\""
        },
        {
            "kubernetes", "http_request_duration_seconds_count", "http_request_duration_seconds_bucket",
            "kubernetes_namespace=\"test\",kubernetes_pod_name=~\"podinfo-[0-9a-zA-Z]+(-[0-9a-zA-Z]+)\"",
            "kubernetes_namespace=\"test\",kubernetes_pod_name=~\"podinfo-primary-[0-9a-zA-Z]+(-[0-9a-zA-Z]+)\"",
            "status=~\"5.*\""
        },
    };

    [Theory]
    [MemberData(nameof(Judged))]
    public void Every_built_in_set_that_can_tell_the_sides_apart_has_all_three_judge_queries(string provider, double bucketsToMilliseconds)
    {
        var set = BuiltInMetricTemplates.Find(provider)!;

        Assert.False(string.IsNullOrWhiteSpace(set.RequestsQuery));
        Assert.False(string.IsNullOrWhiteSpace(set.FailuresQuery));
        Assert.False(string.IsNullOrWhiteSpace(set.BucketsQuery));
        Assert.Equal(bucketsToMilliseconds, set.BucketsToMilliseconds);
    }

    [Fact]
    public void Judge_covers_every_built_in_set_but_apisix_whose_metrics_do_not_say_which_backend_served()
    {
        var judged = Judged.Select(row => (string)row[0]).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(
            BuiltInMetricTemplates.All.Select(s => s.Provider).Where(p => p != "apisix").Order(StringComparer.Ordinal),
            judged.Order(StringComparer.Ordinal));

        // One ApisixRoute carries both weighted backends; apisix_http_status is labelled by route (and node IP) only.
        var apisix = BuiltInMetricTemplates.Find("apisix")!;
        Assert.Null(apisix.RequestsQuery);
        Assert.Null(apisix.FailuresQuery);
        Assert.Null(apisix.BucketsQuery);
    }

    [Fact]
    public void Istio_canary_requests_golden_text()
    {
        // Fully literal once; the other goldens share this shape (see Counted/Bucketed).
        Assert.Equal(
            """sum(istio_requests_total{reporter="destination",destination_workload_namespace="test",destination_workload="podinfo"} - (istio_requests_total{reporter="destination",destination_workload_namespace="test",destination_workload="podinfo"} offset 37s or istio_requests_total{reporter="destination",destination_workload_namespace="test",destination_workload="podinfo"} * 0))""",
            Render(BuiltInMetricTemplates.Find("istio")!.RequestsQuery!, JudgeSides.Canary));
    }

    [Theory]
    [InlineData("istio")]
    [InlineData("gatewayapi")]
    [InlineData("nginx")]
    [InlineData("kubernetes")]
    public void Golden_text_for_both_sides(string provider)
    {
        var (requests, buckets, canary, primary, failed) = SelectorsOf(provider);
        var set = BuiltInMetricTemplates.Find(provider)!;

        foreach (var (side, selector) in new[] { (JudgeSides.Canary, canary), (JudgeSides.Primary, primary) })
        {
            Assert.Equal(Counted($"{requests}{{{selector}}}"), Render(set.RequestsQuery!, side));
            Assert.Equal(Counted($"{requests}{{{selector},{failed}}}"), Render(set.FailuresQuery!, side));
            Assert.Equal(Bucketed($"{buckets}{{{selector}}}"), Render(set.BucketsQuery!, side));
        }
    }

    [Theory]
    [MemberData(nameof(Selectors))]
    public void Each_side_renders_to_its_selector_in_the_born_series_form(string provider, string requests, string buckets, string canary, string primary, string failed)
    {
        var set = BuiltInMetricTemplates.Find(provider)!;

        foreach (var (side, selector) in new[] { (JudgeSides.Canary, canary), (JudgeSides.Primary, primary) })
        {
            // Same selector three times (now, a window ago, or 0), the judge's window, one number or one series per le.
            var count = CountForm().Match(Render(set.RequestsQuery!, side));
            Assert.True(count.Success, $"{provider} {side} requests: {Render(set.RequestsQuery!, side)}");
            Assert.Equal($"{requests}{{{selector}}}", count.Groups["s"].Value);

            var failures = CountForm().Match(Render(set.FailuresQuery!, side));
            Assert.True(failures.Success, $"{provider} {side} failures: {Render(set.FailuresQuery!, side)}");
            Assert.Equal($"{requests}{{{selector},{failed}}}", failures.Groups["s"].Value);

            var bucket = BucketForm().Match(Render(set.BucketsQuery!, side));
            Assert.True(bucket.Success, $"{provider} {side} buckets: {Render(set.BucketsQuery!, side)}");
            Assert.Equal($"{buckets}{{{selector}}}", bucket.Groups["s"].Value);
            Assert.EndsWith("_bucket", buckets, StringComparison.Ordinal);
        }

        Assert.NotEqual(canary, primary);
    }

    [Theory]
    [InlineData("kubernetes")]
    [InlineData("appmesh")]
    public void Pod_name_patterns_keep_the_canary_and_the_primary_apart(string provider)
    {
        // Deployment pods are <deployment>-<replicaset hash>-<suffix>; Prometheus anchors regexes (^...$), as here.
        var set = BuiltInMetricTemplates.Find(provider)!;
        var canary = PodPattern(Render(set.RequestsQuery!, JudgeSides.Canary));
        var primary = PodPattern(Render(set.RequestsQuery!, JudgeSides.Primary));
        string[] canaryPods = ["podinfo-7b9c6d5f4-x2k8p", "podinfo-5f8d7c-abcde"];
        string[] primaryPods = ["podinfo-primary-5d8f7c9b6-abcde", "podinfo-primary-69d4b7c5f8-q7w2n"];

        Assert.All(canaryPods, pod => Assert.Matches(canary, pod));
        Assert.All(primaryPods, pod => Assert.DoesNotMatch(canary, pod));
        Assert.All(primaryPods, pod => Assert.Matches(primary, pod));
        Assert.All(canaryPods, pod => Assert.DoesNotMatch(primary, pod));

        // Other Deployments sharing the prefix are not the canary either.
        Assert.DoesNotMatch(canary, "podinfo-cache-5d8f7c9b6-abcde");
        Assert.DoesNotMatch(canary, "podinfo2-5d8f7c9b6-abcde");
    }

    [Fact]
    public void Nginx_side_is_the_canary_label_being_set_or_empty()
    {
        var set = BuiltInMetricTemplates.Find("nginx")!;

        Assert.Contains("canary!=\"\"", Render(set.RequestsQuery!, JudgeSides.Canary), StringComparison.Ordinal);
        Assert.DoesNotContain("canary=\"\"", Render(set.RequestsQuery!, JudgeSides.Canary), StringComparison.Ordinal);
        Assert.Contains("canary=\"\"", Render(set.RequestsQuery!, JudgeSides.Primary), StringComparison.Ordinal);
        Assert.DoesNotContain("canary!=", Render(set.RequestsQuery!, JudgeSides.Primary), StringComparison.Ordinal);
    }

    [Fact]
    public void Queries_use_the_judges_window_not_the_metrics_interval()
    {
        var set = BuiltInMetricTemplates.Find("istio")!;
        var model = MetricTemplateModel.FromCanary(Canaries.Podinfo(), Canaries.Metric("request-success-rate", interval: "5m")) with { Interval = "90s" };

        var query = _renderer.Render(set.FailuresQuery!, model);

        Assert.Contains("offset 90s or", query, StringComparison.Ordinal);
        Assert.DoesNotContain("5m", query, StringComparison.Ordinal);
    }

    private static string Counted(string s) => $"sum({s} - ({s} offset {Window} or {s} * 0))";

    private static string Bucketed(string s) => $"sum by (le) ({s} - ({s} offset {Window} or {s} * 0))";

    private static (string Requests, string Buckets, string Canary, string Primary, string Failed) SelectorsOf(string provider)
    {
        var row = Selectors.Single(r => (string)r[0] == provider);
        return ((string)row[1], (string)row[2], (string)row[3], (string)row[4], (string)row[5]);
    }

    private static Regex PodPattern(string query) =>
        new($"^(?:{PodName().Match(query).Groups[1].Value})$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    private string Render(string template, string side)
    {
        var model = MetricTemplateModel.FromCanary(Canaries.Podinfo(), Canaries.Metric("request-success-rate")) with
        {
            Interval = Window,
            Side = side,
            Workload = side == JudgeSides.Primary ? "podinfo-primary" : "podinfo",
        };
        return PrometheusProvider.CollapseWhitespace(_renderer.Render(template, model));
    }

    [GeneratedRegex("""^sum\((?<s>[a-z_]+\{[^{}]*\}) - \(\k<s> offset 37s or \k<s> \* 0\)\)$""")]
    private static partial Regex CountForm();

    [GeneratedRegex("""^sum by \(le\) \((?<s>[a-z_]+\{[^{}]*\}) - \(\k<s> offset 37s or \k<s> \* 0\)\)$""")]
    private static partial Regex BucketForm();

    [GeneratedRegex("kubernetes_pod_name=~\"([^\"]+)\"")]
    private static partial Regex PodName();
}
