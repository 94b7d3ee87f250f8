using Canary.Api.V1Beta1;
using Canary.MetricTemplates.Analysis;
using Canary.MetricTemplates.Judge.Statistics;
using Canary.MetricTemplates.Providers;
using Canary.MetricTemplates.Templates;
using Canary.MetricTemplates.Tests.Fixtures;
using Canary.MetricTemplates.Tests.Support;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using CanaryResource = Canary.Api.V1Beta1.Canary;

namespace Canary.MetricTemplates.Tests.Judge;

/// <summary>The analyzer with analysis.judge: per-side queries, the window, evidence gating and verdicts.</summary>
public sealed class JudgeAnalyzerTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private static MetricsAnalyzer Analyzer(IMetricProviderFactory factory) =>
        new(factory, new MetricQueryRenderer(), Options.Create(new MetricsAnalyzerOptions { DefaultMetricsServer = "http://prometheus:9090" }), new FakeTimeProvider(Now));

    private static CanaryResource Judged(params CanaryMetric[] metrics)
    {
        var canary = Canaries.Podinfo("istio", null, metrics);
        canary.Spec.Analysis!.Judge = new CanaryJudge { MinSamples = 100 };
        canary.Status = new CanaryStatus { StepStartTime = Now.UtcDateTime.AddSeconds(-42.5) };
        return canary;
    }

    // Istio's judge queries select a side by destination_workload and failures by response_code.
    private static FakeMetricProviderFactory Counts(double canaryRequests, double canaryFailures, double primaryRequests, double primaryFailures) =>
        new((_, query) =>
        {
            var primary = query.Contains("destination_workload=\"podinfo-primary\"", StringComparison.Ordinal);
            var failures = query.Contains("response_code=~\"5.*\"", StringComparison.Ordinal);
            return MetricQueryResult.Of((primary, failures) switch
            {
                (false, false) => canaryRequests,
                (false, true) => canaryFailures,
                (true, false) => primaryRequests,
                (true, true) => primaryFailures,
            });
        });

    private static async Task<MetricCheckResult> Check(FakeMetricProviderFactory factory, CanaryResource canary) =>
        Assert.Single(await Analyzer(factory).AnalyzeAsync(canary, InMemoryMetricTemplateSource.Empty, CancellationToken.None));

    [Fact]
    public async Task Both_sides_are_counted_over_the_current_step()
    {
        var factory = Counts(3000, 3, 27000, 20);

        var result = await Check(factory, Judged(Canaries.Metric(BuiltInMetrics.RequestSuccessRate)));

        Assert.Equal(MetricCheckOutcome.Passed, result.Outcome);
        Assert.Equal(4, factory.Calls.Count);
        // 42.5 s since the step started, rounded up to whole seconds.
        Assert.All(factory.Calls, c => Assert.Contains("offset 43s", c.Query, StringComparison.Ordinal));
        Assert.Equal(2, factory.Calls.Count(c => c.Query.Contains("destination_workload=\"podinfo-primary\"", StringComparison.Ordinal)));
        Assert.Equal(3000, result.CanarySamples);
        Assert.Equal(27000, result.PrimarySamples);
        Assert.Equal(99.9, result.Value!.Value, 1e-9);
        Assert.NotNull(result.PValue);
    }

    [Fact]
    public async Task Errors_18x_the_primarys_fail_even_above_a_99_percent_floor()
    {
        var metric = Canaries.Metric(BuiltInMetrics.RequestSuccessRate, min: 99);

        var result = await Check(Counts(3000, 27, 30000, 15), Judged(metric));

        Assert.Equal(MetricCheckOutcome.WorseThanPrimary, result.Outcome);
        Assert.StartsWith("Halt podinfo.test advancement request-success-rate canary 99.10% (27 of 3000 failed) vs primary 99.95% (15 of 30000 failed) over this step: failure share 18x the primary's", result.Message, StringComparison.Ordinal);
        Assert.True(result.FailFast);
    }

    [Fact]
    public async Task Earlier_steps_kept_in_the_status_add_up_with_the_current_one()
    {
        var canary = Judged(Canaries.Metric(BuiltInMetrics.RequestSuccessRate));
        var current = canary.Status!.StepStartTime!.Value;
        CanaryStepEvidence Step(string metric, DateTime start, long cf, long cr, long pf, long pr) => new()
        {
            Metric = metric, StepStartTime = start, CanaryFailures = cf, CanaryRequests = cr, PrimaryFailures = pf, PrimaryRequests = pr,
        };
        canary.Status.Evidence =
        [
            Step("request-success-rate", current.AddSeconds(-120), 1, 150, 1, 1350),
            Step("request-success-rate", current.AddSeconds(-90), 3, 300, 0, 1200),
            Step("request-duration", current.AddSeconds(-90), 300, 300, 0, 1200), // another metric: not counted
            Step("request-success-rate", current.AddSeconds(-60), 4, 450, 1, 1050),
            Step("request-success-rate", current.AddSeconds(-30), 5, 600, 0, 900),
            Step("request-success-rate", current, 700, 750, 0, 750), // an older copy of the current step: queried afresh instead
        ];

        // The current step alone: 7 of 750 against none of 750, p = 0.028 — not enough at 99% confidence.
        var alone = await Check(Counts(750, 7, 750, 0), Judged(Canaries.Metric(BuiltInMetrics.RequestSuccessRate)));
        var result = await Check(Counts(750, 7, 750, 0), canary);

        Assert.Equal(MetricCheckOutcome.Passed, alone.Outcome);
        Assert.Equal(MetricCheckOutcome.WorseThanPrimary, result.Outcome);
        Assert.Equal(2.2683594890442605e-06, result.PValue!.Value, 1e-12); // the five-step reference of ErrorShareTestTests
        Assert.StartsWith(
            "Halt podinfo.test advancement request-success-rate canary 99.11% (20 of 2250 failed) vs primary 99.96% (2 of 5250 failed) over 5 steps: failure share 23.3x the primary's",
            result.Message, StringComparison.Ordinal);
        Assert.Equal(new ErrorCounts(7, 750, 0, 750), result.Counts); // the current step, to be kept as its evidence
    }

    [Fact]
    public async Task Too_few_requests_on_a_side_is_inconclusive_whatever_they_show()
    {
        var result = await Check(Counts(2, 1, 5000, 0), Judged(Canaries.Metric(BuiltInMetrics.RequestSuccessRate)));

        Assert.Equal(MetricCheckOutcome.Inconclusive, result.Outcome);
        Assert.False(result.Passed);
        Assert.Equal("Holding podinfo.test request-success-rate inconclusive: 2 canary and 5000 primary requests in the window, 100 needed on each side", result.Message);
    }

    [Fact]
    public async Task No_data_counts_as_no_requests()
    {
        var factory = new FakeMetricProviderFactory((_, _) => MetricQueryResult.NoData("the query returned an empty result"));

        var result = await Check(factory, Judged(Canaries.Metric(BuiltInMetrics.RequestSuccessRate)));

        Assert.Equal(MetricCheckOutcome.Inconclusive, result.Outcome);
        Assert.Equal(0, result.CanarySamples);
    }

    [Fact]
    public async Task An_unreachable_backend_is_a_failure_not_a_lack_of_evidence()
    {
        var factory = new FakeMetricProviderFactory((_, _) => MetricQueryResult.Unreachable("connection refused"));

        var result = await Check(factory, Judged(Canaries.Metric(BuiltInMetrics.RequestSuccessRate)));

        Assert.Equal(MetricCheckOutcome.ProviderUnreachable, result.Outcome);
    }

    [Fact]
    public async Task The_hard_floor_still_applies_when_both_sides_are_equally_bad()
    {
        var metric = Canaries.Metric(BuiltInMetrics.RequestSuccessRate, min: 99);

        var result = await Check(Counts(1000, 30, 9000, 270), Judged(metric));

        Assert.Equal(MetricCheckOutcome.ThresholdExceeded, result.Outcome);
        Assert.Equal("Halt podinfo.test advancement success rate 97.00% < 99%", result.Message);
    }

    [Fact]
    public async Task Latency_buckets_of_both_sides_catch_a_p99_only_regression()
    {
        static MetricQueryResult Buckets(params (string Le, double Count)[] buckets) =>
            MetricQueryResult.OfVector([.. buckets.Select(b => new MetricSample(new Dictionary<string, string> { ["le"] = b.Le }, b.Count))]);
        var factory = new FakeMetricProviderFactory((_, query) => query.Contains("podinfo-primary", StringComparison.Ordinal)
            ? Buckets(("25", 600), ("50", 950), ("100", 995), ("250", 1000), ("500", 1000), ("+Inf", 1000))
            : Buckets(("25", 288), ("50", 440), ("100", 445), ("250", 449), ("500", 460), ("+Inf", 480)));

        var result = await Check(factory, Judged(Canaries.Metric(BuiltInMetrics.RequestDuration, max: 5000)));

        Assert.Equal(MetricCheckOutcome.WorseThanPrimary, result.Outcome);
        Assert.Contains("31 of 480 canary requests above 250ms", result.Message, StringComparison.Ordinal);
        Assert.Equal(480, result.CanarySamples);
        Assert.Equal(1000, result.PrimarySamples);
        Assert.All(factory.Calls, c => Assert.StartsWith("sum by (le) (istio_request_duration_milliseconds_bucket{", c.Query, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_template_with_judge_queries_is_rendered_once_per_side()
    {
        var template = Canaries.Template("errors", "test", "sum(rate(x[1m]))");
        template.Spec.Judge = new MetricTemplateJudge
        {
            Type = MetricJudgeTypes.Ratio,
            RequestsQuery = "requests{workload=\"{{ workload }}\",side=\"{{ side }}\"}[{{ interval }}]",
            FailuresQuery = "failures{workload=\"{{ workload }}\"}[{{ interval }}]",
        };
        var factory = new FakeMetricProviderFactory((_, query) => MetricQueryResult.Of(query.StartsWith("requests", StringComparison.Ordinal) ? 500 : 0));
        var metric = new CanaryMetric { Name = "errors", TemplateRef = new CrossNamespaceObjectReference { Name = "errors" } };

        var result = await Analyzer(factory).CheckAsync(Judged(metric), metric, new InMemoryMetricTemplateSource().Add(template), CancellationToken.None);

        Assert.Equal(MetricCheckOutcome.Passed, result.Outcome);
        Assert.Contains(factory.Calls, c => c.Query == "requests{workload=\"podinfo\",side=\"canary\"}[43s]");
        Assert.Contains(factory.Calls, c => c.Query == "requests{workload=\"podinfo-primary\",side=\"primary\"}[43s]");
    }

    [Fact]
    public async Task Without_the_judge_a_Canary_keeps_Flaggers_single_query()
    {
        var factory = new FakeMetricProviderFactory((_, _) => MetricQueryResult.Of(100));
        var canary = Canaries.Podinfo("istio", null, Canaries.Metric(BuiltInMetrics.RequestSuccessRate, min: 99));

        var result = await Check(factory, canary);

        Assert.True(result.Passed);
        Assert.Single(factory.Calls);
        Assert.Null(result.PValue);
    }
}
