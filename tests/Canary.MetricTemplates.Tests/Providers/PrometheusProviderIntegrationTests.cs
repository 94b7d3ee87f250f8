using Canary.MetricTemplates.Analysis;
using Canary.MetricTemplates.Providers;
using Canary.MetricTemplates.Tests.Fixtures;
using Canary.MetricTemplates.Tests.Support;

namespace Canary.MetricTemplates.Tests.Providers;

/// <summary>Against a real Prometheus scraping Istio-style counters: 95 % success, p99 95 ms.</summary>
[Collection(PrometheusFixture.Collection)]
public sealed class PrometheusProviderIntegrationTests(PrometheusFixture prometheus) : IDisposable
{
    private readonly TestServices _services = new(o => o.DefaultMetricsServer = prometheus.Address.ToString());

    public void Dispose() => _services.Dispose();

    [Fact]
    public async Task Is_online()
    {
        var health = await _services.Prometheus(prometheus.Address.ToString()).IsOnlineAsync(CancellationToken.None);
        Assert.True(health.IsOnline, health.Reason);
    }

    [Fact]
    public async Task Built_in_istio_success_rate_query_returns_the_expected_value()
    {
        var set = Canary.MetricTemplates.BuiltIn.BuiltInMetricTemplates.Find("istio")!;
        var query = new Canary.MetricTemplates.Templates.MetricQueryRenderer().Render(
            set.RequestSuccessRateQuery,
            Canary.MetricTemplates.Templates.MetricTemplateModel.FromCanary(Canaries.Podinfo(), Canaries.Metric("request-success-rate")));

        var result = await _services.Prometheus(prometheus.Address.ToString()).RunQueryAsync(query, CancellationToken.None);

        Assert.Equal(MetricQueryStatus.Value, result.Status);
        Assert.Equal(95, result.Value!.Value, precision: 6);
    }

    [Fact]
    public async Task Empty_result_is_no_data()
    {
        var result = await _services.Prometheus(prometheus.Address.ToString())
            .RunQueryAsync("sum(rate(istio_requests_total{destination_workload=\"nobody\"}[1m])) by (destination_workload)", CancellationToken.None);

        Assert.Equal(MetricQueryStatus.NoData, result.Status);
    }

    [Fact]
    public async Task NaN_is_no_data()
    {
        // 0/0 over a series that exists: Prometheus answers NaN.
        var result = await _services.Prometheus(prometheus.Address.ToString())
            .RunQueryAsync("sum(rate(istio_requests_total{response_code=\"404\"}[1m])) / sum(rate(istio_requests_total{response_code=\"404\"}[1m])) or vector(0) / 0", CancellationToken.None);

        Assert.Equal(MetricQueryStatus.NoData, result.Status);
    }

    [Fact]
    public async Task Invalid_query_is_an_error_not_a_value()
    {
        var result = await _services.Prometheus(prometheus.Address.ToString()).RunQueryAsync("sum(rate(", CancellationToken.None);

        Assert.Equal(MetricQueryStatus.Error, result.Status);
        Assert.Contains("parse error", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Analyzer_end_to_end_with_built_ins_and_a_template()
    {
        var templates = new InMemoryMetricTemplateSource().Add(Canaries.Template(
            "error-rate", "test",
            """
            100 - sum(rate(istio_requests_total{destination_workload_namespace="{{ namespace }}",destination_workload="{{ target }}",response_code!~"5.*"}[{{ interval }}]))
              / sum(rate(istio_requests_total{destination_workload_namespace="{{ namespace }}",destination_workload="{{ target }}"}[{{ interval }}])) * 100
            """));
        var canary = Canaries.Podinfo("istio", null,
            Canaries.Metric("request-success-rate", min: 99),
            Canaries.Metric("request-duration", max: 500),
            new Canary.Api.V1Beta1.CanaryMetric
            {
                Name = "error-rate",
                TemplateRef = new Canary.Api.V1Beta1.CrossNamespaceObjectReference { Name = "error-rate" },
                ThresholdRange = new Canary.Api.V1Beta1.CanaryThresholdRange { Max = 1 },
            });

        var results = await _services.Analyzer.AnalyzeAsync(canary, templates, CancellationToken.None);

        Assert.Collection(
            results,
            r => Assert.Equal("Halt podinfo.test advancement success rate 95.00% < 99%", r.Message),
            r =>
            {
                Assert.True(r.Passed, r.Message);

                // p99 is 95 ms up to floating point; whole milliseconds are truncated as in Flagger.
                Assert.InRange(r.Value!.Value, 94, 95);
            },
            r => Assert.Equal("Halt podinfo.test advancement error-rate 5.00 > 1", r.Message));
    }

    [Fact]
    public async Task Analyzer_reports_no_traffic_for_a_target_without_metrics()
    {
        var canary = Canaries.Podinfo("istio", null, Canaries.Metric("request-success-rate", min: 99));
        canary.Spec.TargetRef!.Name = "idle";

        var result = Assert.Single(await _services.Analyzer.AnalyzeAsync(canary, InMemoryMetricTemplateSource.Empty, CancellationToken.None));

        Assert.Equal(MetricCheckOutcome.NoData, result.Outcome);
        Assert.Contains("probably idle.test is not receiving traffic", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unreachable_address_is_a_failed_check()
    {
        var canary = Canaries.Podinfo("istio", $"http://127.0.0.1:{FreePort.Next()}", Canaries.Metric("request-success-rate", min: 99));

        var result = Assert.Single(await _services.Analyzer.AnalyzeAsync(canary, InMemoryMetricTemplateSource.Empty, CancellationToken.None));

        Assert.Equal(MetricCheckOutcome.ProviderUnreachable, result.Outcome);
        Assert.False(result.Passed);
        Assert.Contains("unreachable", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Provider_availability_is_checked_once_per_backend()
    {
        var deadAddress = $"http://127.0.0.1:{FreePort.Next()}";
        var templates = new InMemoryMetricTemplateSource()
            .Add(Canaries.Template("dead", "test", "up", address: deadAddress))
            .Add(Canaries.Template("keptn", "test", "keptnmetric/test/x/1m/", type: "keptn"));
        var canary = Canaries.Podinfo("istio", null,
            Canaries.Metric("request-success-rate", min: 99),
            Canaries.Metric("request-duration", max: 500),
            new Canary.Api.V1Beta1.CanaryMetric { Name = "dead", TemplateRef = new() { Name = "dead" } },
            new Canary.Api.V1Beta1.CanaryMetric { Name = "dd", TemplateRef = new() { Name = "keptn" } });

        var checks = await _services.Analyzer.CheckProvidersAsync(canary, templates, CancellationToken.None);

        Assert.Collection(
            checks,
            c => Assert.True(c.Health.IsOnline, c.Health.Reason),
            c => Assert.Contains("running query failed", c.Health.Reason, StringComparison.Ordinal),
            c => Assert.Equal($"Metric template keptn.test is invalid: spec.provider.type: 'keptn' is not supported: {Canary.Api.V1Beta1.MetricProviderTypes.Refused["keptn"]}", c.Health.Reason));
    }
}
