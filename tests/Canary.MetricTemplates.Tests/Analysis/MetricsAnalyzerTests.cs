using System.Text;
using Canary.Api.V1Beta1;
using Canary.MetricTemplates.Analysis;
using Canary.MetricTemplates.Providers;
using Canary.MetricTemplates.Templates;
using Canary.MetricTemplates.Tests.Fixtures;
using Canary.MetricTemplates.Tests.Support;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Canary.MetricTemplates.Tests.Analysis;

public sealed class MetricsAnalyzerTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private static MetricsAnalyzer Analyzer(IMetricProviderFactory factory, string? defaultServer = "http://prometheus:9090") =>
        new(factory, new MetricQueryRenderer(), Options.Create(new MetricsAnalyzerOptions { DefaultMetricsServer = defaultServer }), new FakeTimeProvider(Now));

    [Fact]
    public async Task Built_in_success_rate_below_min_fails_with_Flaggers_message()
    {
        var factory = new FakeMetricProviderFactory((_, _) => MetricQueryResult.Of(92));
        var canary = Canaries.Podinfo("istio", null, Canaries.Metric("request-success-rate", min: 99));

        var result = Assert.Single(await Analyzer(factory).AnalyzeAsync(canary, InMemoryMetricTemplateSource.Empty, CancellationToken.None));

        Assert.Equal(MetricCheckOutcome.ThresholdExceeded, result.Outcome);
        Assert.False(result.Passed);
        Assert.Equal("Halt podinfo.test advancement success rate 92.00% < 99%", result.Message);
        Assert.Equal(92, result.Value);
        Assert.Equal("built-in istio", result.Source);
        Assert.StartsWith("sum( rate( istio_requests_total{", result.Query, StringComparison.Ordinal);
        Assert.Equal(Now, result.CheckedAt);
        Assert.Equal("http://prometheus:9090", Assert.Single(factory.Calls).Spec.Address);
    }

    [Fact]
    public async Task Canary_metrics_server_overrides_the_default()
    {
        var factory = new FakeMetricProviderFactory((_, _) => MetricQueryResult.Of(100));
        var canary = Canaries.Podinfo("linkerd", "http://linkerd-prometheus:9090", Canaries.Metric("request-success-rate", min: 99));

        var result = Assert.Single(await Analyzer(factory).AnalyzeAsync(canary, InMemoryMetricTemplateSource.Empty, CancellationToken.None));

        Assert.True(result.Passed);
        Assert.Equal("http://linkerd-prometheus:9090", Assert.Single(factory.Calls).Spec.Address);
        Assert.Contains("response_total{", result.Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Built_in_duration_from_seconds_is_compared_in_whole_milliseconds()
    {
        var factory = new FakeMetricProviderFactory((_, _) => MetricQueryResult.Of(0.5019));
        var canary = Canaries.Podinfo("kubernetes", null, Canaries.Metric("request-duration", max: 500));

        var result = Assert.Single(await Analyzer(factory).AnalyzeAsync(canary, InMemoryMetricTemplateSource.Empty, CancellationToken.None));

        Assert.Equal(501, result.Value);
        Assert.Equal("Halt podinfo.test advancement request duration 501ms > 500ms", result.Message);
    }

    [Fact]
    public async Task No_data_is_a_failed_check_saying_no_data()
    {
        var factory = new FakeMetricProviderFactory((_, _) => MetricQueryResult.NoData("the query returned an empty result"));
        var canary = Canaries.Podinfo("istio", null, Canaries.Metric("request-success-rate", min: 99));

        var result = Assert.Single(await Analyzer(factory).AnalyzeAsync(canary, InMemoryMetricTemplateSource.Empty, CancellationToken.None));

        Assert.Equal(MetricCheckOutcome.NoData, result.Outcome);
        Assert.False(result.Passed);
        Assert.Null(result.Value);
        Assert.StartsWith(
            "Halt advancement no values found for istio metric request-success-rate probably podinfo.test is not receiving traffic: no data",
            result.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(0.4)] // less than one whole request served in the window
    public async Task Without_requests_in_the_window_no_data_stays_no_data(double requests)
    {
        var factory = new FakeMetricProviderFactory((_, query) => Counts(query, success: null, requests, failures: 0));
        var canary = Canaries.Podinfo("istio", null, Canaries.Metric("request-success-rate", min: 99));

        var result = Assert.Single(await Analyzer(factory).AnalyzeAsync(canary, InMemoryMetricTemplateSource.Empty, CancellationToken.None));

        Assert.Equal(MetricCheckOutcome.NoData, result.Outcome);
        Assert.Contains("is not receiving traffic", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_canary_failing_every_request_is_measured_at_zero_percent_not_reported_as_receiving_no_traffic()
    {
        // The ratio's numerator (non-5xx series) is empty when every request failed: the canary's counts tell the truth.
        var factory = new FakeMetricProviderFactory((_, query) => Counts(query, success: null, requests: 40, failures: 40));
        var canary = Canaries.Podinfo("istio", null, Canaries.Metric("request-success-rate", min: 99));

        var result = Assert.Single(await Analyzer(factory).AnalyzeAsync(canary, InMemoryMetricTemplateSource.Empty, CancellationToken.None));

        Assert.Equal(MetricCheckOutcome.ThresholdExceeded, result.Outcome);
        Assert.Equal(0, result.Value);
        Assert.Equal("Halt podinfo.test advancement success rate 0.00% < 99%", result.Message);
        Assert.Contains(factory.Calls, c => c.Query.Contains("offset 60s", StringComparison.Ordinal)); // the metric's own window (1m)
    }

    [Fact]
    public async Task Requests_without_5xx_series_are_measured_at_one_hundred_percent()
    {
        // Series born inside the window have too few samples for rate(): no ratio, but 30 requests and no failure.
        var factory = new FakeMetricProviderFactory((_, query) => Counts(query, success: null, requests: 30, failures: null));
        var canary = Canaries.Podinfo("kubernetes", null, Canaries.Metric("request-success-rate", min: 99));

        var result = Assert.Single(await Analyzer(factory).AnalyzeAsync(canary, InMemoryMetricTemplateSource.Empty, CancellationToken.None));

        Assert.True(result.Passed, result.Message);
        Assert.Equal(100, result.Value);
    }

    // The built-in ratio answers success (or no data); the judge's count queries (" offset ") answer the counts.
    private static MetricQueryResult Counts(string query, double? success, double requests, double? failures)
    {
        if (!query.Contains(" offset ", StringComparison.Ordinal))
        {
            return success is { } s ? MetricQueryResult.Of(s) : MetricQueryResult.NoData("the query returned an empty result");
        }

        var failed = query.Contains("=~\"5.*\"", StringComparison.Ordinal);
        return failed
            ? failures is { } f ? MetricQueryResult.Of(f) : MetricQueryResult.NoData("the query returned an empty result")
            : MetricQueryResult.Of(requests);
    }

    [Fact]
    public async Task Unreachable_provider_is_a_failure_reported_as_such()
    {
        var factory = new FakeMetricProviderFactory((_, _) => MetricQueryResult.Unreachable("connection refused"));
        var canary = Canaries.Podinfo("istio", null, Canaries.Metric("request-duration", max: 500));

        var result = Assert.Single(await Analyzer(factory).AnalyzeAsync(canary, InMemoryMetricTemplateSource.Empty, CancellationToken.None));

        Assert.Equal(MetricCheckOutcome.ProviderUnreachable, result.Outcome);
        Assert.False(result.Passed);
        Assert.Equal("Metric query failed for request-duration: metric provider prometheus http://prometheus:9090 unreachable: connection refused", result.Message);
    }

    [Fact]
    public async Task Template_query_is_rendered_with_variables_and_runs_against_the_templates_provider_with_its_secret()
    {
        var factory = new FakeMetricProviderFactory((_, _) => MetricQueryResult.Of(0.4));
        var templates = new InMemoryMetricTemplateSource()
            .Add(Canaries.Template("error-rate", "flagger-system",
                "100 - sum(rate(http_requests_total{namespace=\"{{ namespace }}\",app=\"{{ target }}\",dir=\"{{ variables.direction }}\"}[{{ interval }}]))",
                address: "http://thanos:9090", secret: "prom-auth"))
            .AddSecret("flagger-system", "prom-auth", new Dictionary<string, byte[]> { ["token"] = Encoding.UTF8.GetBytes("s3cr3t") });
        var metric = new CanaryMetric
        {
            Name = "error-rate",
            Interval = "30s",
            ThresholdRange = new CanaryThresholdRange { Max = 1 },
            TemplateRef = new CrossNamespaceObjectReference { Name = "error-rate", Namespace = "flagger-system" },
            TemplateVariables = new Dictionary<string, string> { ["direction"] = "inbound" },
        };

        var result = Assert.Single(await Analyzer(factory).AnalyzeAsync(Canaries.Podinfo(null, null, metric), templates, CancellationToken.None));

        Assert.True(result.Passed, result.Message);
        var call = Assert.Single(factory.Calls);
        Assert.Equal("100 - sum(rate(http_requests_total{namespace=\"test\",app=\"podinfo\",dir=\"inbound\"}[30s]))", call.Query);
        Assert.Equal("http://thanos:9090", call.Spec.Address);
        Assert.Equal("s3cr3t", Encoding.UTF8.GetString(call.Spec.Credentials!["token"]));
        Assert.Equal("template flagger-system/error-rate", result.Source);
    }

    [Fact]
    public async Task Template_defaults_to_the_canarys_namespace_and_custom_no_data_wording()
    {
        var factory = new FakeMetricProviderFactory((_, _) => MetricQueryResult.NoData("the query returned NaN"));
        var templates = new InMemoryMetricTemplateSource().Add(Canaries.Template("latency", "test", "x{ns=\"{{ namespace }}\"}"));
        var metric = new CanaryMetric { Name = "latency", TemplateRef = new CrossNamespaceObjectReference { Name = "latency" } };

        var result = Assert.Single(await Analyzer(factory).AnalyzeAsync(Canaries.Podinfo(null, null, metric), templates, CancellationToken.None));

        Assert.Equal(MetricCheckOutcome.NoData, result.Outcome);
        Assert.Equal("Halt advancement no values found for custom metric: latency: no data (the query returned NaN)", result.Message);
        Assert.Equal("http://prometheus:9090", Assert.Single(factory.Calls).Spec.Address); // no address: the controller's default
    }

    [Theory]
    [InlineData("missing-template", null, "Metric template missing-template.test error: not found")]
    [InlineData("needs-secret", null, "Metric template needs-secret.test secret absent error: not found")]
    [InlineData("bad-variable", null, "bad_var")]
    [InlineData("keptn", null, "spec.provider.type: 'keptn' is not supported: it reads KeptnMetric and Analysis objects")]
    public async Task Misconfigured_templates_are_failed_checks_with_a_clear_reason(string template, string? unused, string expected)
    {
        _ = unused;
        var templates = new InMemoryMetricTemplateSource()
            .Add(Canaries.Template("needs-secret", "test", "up", secret: "absent"))
            .Add(Canaries.Template("bad-variable", "test", "up{x=\"{{ bad_var }}\"}"))
            .Add(Canaries.Template("keptn", "test", "keptnmetric/test/requests/1m/", type: "keptn"));
        var metric = new CanaryMetric { Name = "m", TemplateRef = new CrossNamespaceObjectReference { Name = template } };
        var factory = new FakeMetricProviderFactory((_, _) => MetricQueryResult.Of(1));

        var result = Assert.Single(await Analyzer(factory).AnalyzeAsync(Canaries.Podinfo(null, null, metric), templates, CancellationToken.None));

        Assert.Equal(MetricCheckOutcome.ConfigurationError, result.Outcome);
        Assert.False(result.Passed);
        Assert.Contains(expected, result.Message, StringComparison.Ordinal);
        Assert.Empty(factory.Calls);
    }

    [Fact]
    public async Task Inline_query_runs_against_the_metrics_server_collapsed()
    {
        var factory = new FakeMetricProviderFactory((_, _) => MetricQueryResult.Of(3));
        var metric = new CanaryMetric { Name = "errors", Query = "sum(\n  rate(errors[1m])\n)", ThresholdRange = new CanaryThresholdRange { Max = 2 } };

        var result = Assert.Single(await Analyzer(factory).AnalyzeAsync(Canaries.Podinfo(null, null, metric), InMemoryMetricTemplateSource.Empty, CancellationToken.None));

        Assert.Equal("sum( rate(errors[1m]) )", Assert.Single(factory.Calls).Query);
        Assert.Equal("Halt podinfo.test advancement errors 3.00 > 2", result.Message);
    }

    [Fact]
    public async Task Metric_without_template_query_or_built_in_name_fails()
    {
        var factory = new FakeMetricProviderFactory((_, _) => MetricQueryResult.Of(1));
        var result = Assert.Single(await Analyzer(factory).AnalyzeAsync(
            Canaries.Podinfo(null, null, new CanaryMetric { Name = "orphan" }), InMemoryMetricTemplateSource.Empty, CancellationToken.None));

        Assert.Equal(MetricCheckOutcome.ConfigurationError, result.Outcome);
        Assert.Equal("Metric query failed for orphan: no usable metrics template and query were configured", result.Message);
    }

    [Fact]
    public async Task Built_ins_without_any_metrics_server_fail_clearly()
    {
        var factory = new FakeMetricProviderFactory((_, _) => MetricQueryResult.Of(100));
        var result = Assert.Single(await Analyzer(factory, defaultServer: null).AnalyzeAsync(
            Canaries.Podinfo("istio", null, Canaries.Metric("request-success-rate", min: 99)), InMemoryMetricTemplateSource.Empty, CancellationToken.None));

        Assert.Equal(MetricCheckOutcome.ConfigurationError, result.Outcome);
        Assert.Contains("no metrics server configured", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Knative_built_ins_measure_the_revisions_the_target_names_the_primary_one_on_the_judges_primary_side()
    {
        var factory = new FakeMetricProviderFactory((_, _) => MetricQueryResult.Of(100));
        var canary = Canaries.Podinfo("knative", "http://prometheus:9090", Canaries.Metric("request-success-rate", min: 99));
        var routes = new MetricRoutes("podinfo-00002", "podinfo-00001");

        var absolute = Assert.Single(await Analyzer(factory).AnalyzeAsync(canary, InMemoryMetricTemplateSource.Empty, routes, CancellationToken.None));
        canary.Spec.Analysis!.Judge = new CanaryJudge();
        await Analyzer(factory).AnalyzeAsync(canary, InMemoryMetricTemplateSource.Empty, routes, CancellationToken.None);

        Assert.True(absolute.Passed, absolute.Message);
        var queries = factory.Calls.Select(c => c.Query).ToList();
        Assert.Contains("envoy_cluster_name=~\"test/podinfo-00002\"", queries[0], StringComparison.Ordinal);
        Assert.Contains(queries.Skip(1), q => q.Contains("envoy_cluster_name=~\"test/podinfo-00001\"", StringComparison.Ordinal));
        Assert.Contains(queries.Skip(1), q => q.Contains("envoy_cluster_name=~\"test/podinfo-00002\"", StringComparison.Ordinal));
        Assert.DoesNotContain(queries, q => q.Contains("test/podinfo\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task All_metrics_are_evaluated_in_parallel_and_returned_in_declaration_order()
    {
        var release = new TaskCompletionSource();
        var started = 0;
        var factory = new FakeMetricProviderFactory((_, query) =>
        {
            // Each query waits until both have started: only a parallel analyzer gets past this.
            if (Interlocked.Increment(ref started) == 2)
            {
                release.SetResult();
            }

            release.Task.Wait(TimeSpan.FromSeconds(10));
            return MetricQueryResult.Of(query.Contains("histogram_quantile", StringComparison.Ordinal) ? 120 : 99.9);
        });
        var canary = Canaries.Podinfo("istio", null,
            Canaries.Metric("request-success-rate", min: 99), Canaries.Metric("request-duration", max: 500));

        var results = await Analyzer(factory).AnalyzeAsync(canary, InMemoryMetricTemplateSource.Empty, CancellationToken.None);

        Assert.Equal(["request-success-rate", "request-duration"], results.Select(r => r.MetricName));
        Assert.All(results, r => Assert.True(r.Passed, r.Message));
        Assert.True(release.Task.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task Cancelled_tick_propagates()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        using var services = new TestServices(o => o.DefaultMetricsServer = "http://127.0.0.1:1");
        var analyzer = services.Analyzer;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => analyzer.AnalyzeAsync(
            Canaries.Podinfo("istio", null, Canaries.Metric("request-success-rate", min: 99)), InMemoryMetricTemplateSource.Empty, cts.Token));
    }
}
