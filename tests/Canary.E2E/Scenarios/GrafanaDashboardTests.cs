using System.Net;
using System.Text.Json.Nodes;
using Canary.Api.V1Beta1;
using Canary.E2E.Infrastructure;
using Xunit.Abstractions;

namespace Canary.E2E.Scenarios;

/// <summary>
/// manifests/dashboards/canary-grafana.json reads only series the controller really exports: after a promoted and a
/// rolled-back release (so the success and failure counters have a series too), every metric named by a panel or a
/// template variable is on the running controller's <c>/metrics</c>. Counters appear with their first increment, so a
/// metric that a healthy controller never increments (reconcile errors, watch restarts) has no place on the dashboard.
/// </summary>
[Collection(RolloutScenarios.Name)]
public sealed class GrafanaDashboardTests(GatewayApiEnvironment env, ITestOutputHelper output)
{
    private const string Provider = GatewayApiEnvironment.Provider;

    [Fact]
    public async Task Every_metric_the_Grafana_dashboard_queries_is_exported_after_a_promoted_and_a_rolled_back_release()
    {
        var queried = DashboardMetrics.Queried();
        Assert.NotEmpty(queried);

        await using var s = await CanaryScenario.StartAsync(env, "grafana", Provider, output);
        var hooks = env.Webhooks;
        hooks.Answer(s.Namespace, WebhookTypes.Rollback, HttpStatusCode.NotFound, "no manual rollback");
        await s.CreateAppAsync();
        await s.CreateCanaryAsync(new CanaryAnalysis
        {
            Interval = "1s",
            Threshold = 5,
            StepWeight = 50,
            MaxWeight = 50,
            Metrics = [Podinfo.SuccessRate()],
            Webhooks = [Podinfo.Hook(hooks, s.Namespace, WebhookTypes.Rollback)],
        });
        await s.WaitForPhaseAsync(CanaryPhase.Initialized);
        await s.EditTemplateAsync(image: Podinfo.NewImage);
        await s.WaitForPhaseAsync(CanaryPhase.Succeeded);

        // The next release is rolled back by the rollback hook (asked at every analysis tick, so before any promotion),
        // which gives canary_canary_failures_total a series too.
        hooks.Answer(s.Namespace, WebhookTypes.Rollback, HttpStatusCode.OK);
        await s.EditTemplateAsync(image: "ghcr.io/stefanprodan/podinfo:6.0.2");
        await s.WaitForPhaseAsync(CanaryPhase.Failed);

        var controller = env.Controller ?? throw new InvalidOperationException("the environment's controller is not running");
        var metricsUrl = new Uri($"http://127.0.0.1:{controller.Options.MetricsPort}/metrics");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var exposition = string.Empty;
        IReadOnlyList<string> missing = [.. queried.Keys];

        // The counter of the last status write may land just after the write is visible: wait for the condition, bounded.
        await Wait.UntilAsync(
            async ct =>
            {
                exposition = await http.GetStringAsync(metricsUrl, ct);
                missing = DashboardMetrics.Missing(queried, exposition);
                return missing.Count == 0;
            },
            "every metric the Grafana dashboard queries on the controller's /metrics",
            () => DashboardMetrics.Describe(missing, queried, exposition),
            TimeSpan.FromSeconds(30));

        output.WriteLine($"{queried.Count} metrics queried by the dashboard, all on {metricsUrl}: {string.Join(", ", queried.Keys.Order(StringComparer.Ordinal))}");
        Assert.True(missing.Count == 0, DashboardMetrics.Describe(missing, queried, exposition));

        // The Phase panel's value mapping: a rolled-back Canary reads 2 (Failed).
        Assert.Contains(
            exposition.Split('\n'),
            l => l.StartsWith("canary_canary_status{", StringComparison.Ordinal) && l.Contains($"name=\"{Podinfo.Name}\"", StringComparison.Ordinal)
                && l.Contains($"namespace=\"{s.Namespace}\"", StringComparison.Ordinal) && SampleValue(l) == "2");
    }

    // "name{labels} value [timestamp]" → value.
    private static string SampleValue(string line) => line[(line.LastIndexOf('}') + 1)..].Trim().Split(' ')[0];
}

/// <summary>The query parser itself, on expressions whose answer is known (no environment needed).</summary>
public sealed class GrafanaDashboardQueryTests
{
    [Theory]
    [InlineData("""histogram_quantile(0.99, sum by (le, verb) (rate(canary_kube_api_request_duration_seconds_bucket[$__rate_interval])))""", "canary_kube_api_request_duration_seconds_bucket")]
    [InlineData("""sum(rate(x_total{code=~"5..|429", job="a,b"}[5m] offset 1h)) by (code) / ignoring(code) group_left sum(rate(y_total[1m:10s]))""", "x_total y_total")]
    [InlineData("""count(canary_canary_status{namespace=~"$namespace", name=~"${name:regex}"} == 2) or vector(0)""", "canary_canary_status")]
    [InlineData("""a and on (pod) b unless c > bool 1e3 + inf - nan * atan2 d""", "a b c d")]
    [InlineData("""increase(canary_canary_failures_total{name=~"$name"}[$__range]) @ start()""", "canary_canary_failures_total")]
    [InlineData("""label_replace(up{job="x"}, "dst", "$1", "src", "(.*)")""", "up")]
    [InlineData("""time() - process_start_time_seconds""", "process_start_time_seconds")]
    [InlineData("""vector(1)""", "")]
    public void Metric_names_are_the_identifiers_outside_strings_matchers_ranges_clauses_and_calls(string promql, string expected)
    {
        Assert.Equal(
            expected.Split(' ', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal),
            DashboardQueries.MetricNames(promql).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("""label_values(canary_canary_status{namespace=~"$namespace", x="a,b"}, name)""", """canary_canary_status{namespace=~"$namespace", x="a,b"}""")]
    [InlineData("""label_values(namespace)""", null)]
    [InlineData("""query_result(sum by (namespace) (canary_canary_total))""", "sum by (namespace) (canary_canary_total)")]
    [InlineData("""label_names()""", null)]
    [InlineData("""metrics(canary_.*)""", null)]
    [InlineData("""canary_info{version!=""}""", """canary_info{version!=""}""")]
    public void Variable_queries_yield_their_promql(string query, string? expected) =>
        Assert.Equal(expected, DashboardQueries.VariableExpression(query));

    [Fact]
    public void Histogram_series_are_read_from_the_samples_of_the_exposition()
    {
        const string exposition = """
            # TYPE canary_reconcile_duration_seconds histogram
            canary_reconcile_duration_seconds_bucket{le="0.1"} 3
            canary_reconcile_duration_seconds_sum 0.2
            canary_reconcile_duration_seconds_count 3
            # TYPE canary_info gauge
            canary_info{version="1.0"} 1
            """;

        Assert.Equal(
            ["canary_info", "canary_reconcile_duration_seconds_bucket", "canary_reconcile_duration_seconds_count", "canary_reconcile_duration_seconds_sum"],
            DashboardQueries.SeriesNames(exposition).Order(StringComparer.Ordinal));
        var queried = new Dictionary<string, IReadOnlyList<string>>
        {
            ["canary_reconcile_duration_seconds"] = ["p99"],
            ["canary_reconcile_duration_seconds_bucket"] = ["p99"],
        };
        var missing = DashboardMetrics.Missing(queried, exposition);
        Assert.Equal(["canary_reconcile_duration_seconds"], missing);
        Assert.Contains("a histogram: query canary_reconcile_duration_seconds_bucket", DashboardMetrics.Describe(missing, queried, exposition), StringComparison.Ordinal);
    }

    [Fact]
    public void The_shipped_dashboard_has_queries_and_reads_only_canary_metrics()
    {
        var queried = DashboardMetrics.Queried();

        Assert.NotEmpty(queried);
        Assert.All(queried.Keys, name => Assert.StartsWith("canary_", name, StringComparison.Ordinal));
    }
}

/// <summary>The shipped dashboard's metric names, and which of them an exposition lacks.</summary>
internal static class DashboardMetrics
{
    public static string JsonPath => Path.Combine(Crds.RepositoryRoot(), "manifests", "dashboards", "canary-grafana.json");

    /// <summary>Metric name → where the dashboard queries it; fails when the dashboard has no query at all.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Queried()
    {
        var dashboard = JsonNode.Parse(File.ReadAllText(JsonPath)) ?? throw new InvalidOperationException(JsonPath + " is empty");
        var queries = DashboardQueries.Of(dashboard);
        Assert.True(queries.Count > 0, $"{JsonPath} has no PromQL query (no panel target expr, no query variable)");
        return queries
            .SelectMany(q => DashboardQueries.MetricNames(q.Expr).Select(name => (name, q.Where)))
            .GroupBy(x => x.name, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)[.. g.Select(x => x.Where).Distinct()], StringComparer.Ordinal);
    }

    /// <summary>The queried names with no sample in <paramref name="exposition"/>.</summary>
    public static IReadOnlyList<string> Missing(IReadOnlyDictionary<string, IReadOnlyList<string>> queried, string exposition)
    {
        var series = DashboardQueries.SeriesNames(exposition);
        return [.. queried.Keys.Where(name => !series.Contains(name)).Order(StringComparer.Ordinal)];
    }

    public static string Describe(IReadOnlyList<string> missing, IReadOnlyDictionary<string, IReadOnlyList<string>> queried, string exposition)
    {
        var histograms = DashboardQueries.Histograms(exposition);
        var lines = missing.Select(name =>
            $"  {name} (in {string.Join(", ", queried[name].Select(w => $"'{w}'"))})"
            + (histograms.Contains(name) ? $": a histogram: query {name}_bucket, {name}_sum or {name}_count" : string.Empty));
        return $"{missing.Count} metric(s) the dashboard queries are not on the controller's /metrics:{Environment.NewLine}"
            + string.Join(Environment.NewLine, lines);
    }
}
