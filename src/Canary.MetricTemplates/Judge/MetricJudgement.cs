using System.Globalization;
using Canary.Api.Defaults;
using Canary.Api.Durations;
using Canary.Api.V1Beta1;
using Canary.MetricTemplates.Analysis;
using Canary.MetricTemplates.Judge.Statistics;
using Canary.MetricTemplates.Providers;

namespace Canary.MetricTemplates.Judge;

/// <summary>
/// Runs one metric's judge queries for both sides and turns the counts into a verdict: inconclusive below the minimum
/// samples, failed when the canary is worse than allowed at the configured confidence (or outside thresholdRange, the
/// hard floor/ceiling), passed otherwise.
/// </summary>
internal sealed class MetricJudgement(IMetricProviderFactory providers, TimeProvider timeProvider)
{
    /// <summary>One verdict; for error-type metrics, <paramref name="earlierSteps"/> (the counts of the rollout's earlier traffic steps) are added to the current one.</summary>
    public async Task<MetricCheckResult> EvaluateAsync(
        string canaryId, CanaryMetric metric, JudgeQuerySet queries, EffectiveJudge judge, IReadOnlyList<ErrorCounts> earlierSteps,
        CancellationToken cancellationToken)
    {
        var name = metric.Name ?? string.Empty;
        var settings = judge.ForMetric(metric);
        var provider = providers.Create(queries.Provider);
        var baseResult = new MetricCheckResult
        {
            MetricName = name,
            Outcome = MetricCheckOutcome.QueryFailed,
            Message = string.Empty,
            Kind = queries.Comparison == JudgeComparison.LatencyQuantile ? MetricKind.Duration : MetricKind.SuccessRate,
            Source = queries.Source,
            Query = queries.Comparison == JudgeComparison.LatencyQuantile ? queries.Canary.Buckets : queries.Canary.Failures,
            ThresholdRange = metric.ThresholdRange,
            CheckedAt = timeProvider.GetUtcNow(),
        };

        return queries.Comparison == JudgeComparison.LatencyQuantile
            ? await LatencyAsync(canaryId, metric, queries, judge, settings, provider, baseResult, cancellationToken)
            : await ErrorShareAsync(canaryId, metric, queries, judge, settings, provider, baseResult, earlierSteps, cancellationToken);
    }

    private static async Task<MetricCheckResult> ErrorShareAsync(
        string canaryId, CanaryMetric metric, JudgeQuerySet queries, EffectiveJudge judge, EffectiveMetricJudge settings,
        IMetricProvider provider, MetricCheckResult result, IReadOnlyList<ErrorCounts> earlierSteps, CancellationToken cancellationToken)
    {
        var answers = await Task.WhenAll(
            provider.RunQueryAsync(queries.Canary.Requests!, cancellationToken),
            provider.RunQueryAsync(queries.Canary.Failures!, cancellationToken),
            provider.RunQueryAsync(queries.Primary.Requests!, cancellationToken),
            provider.RunQueryAsync(queries.Primary.Failures!, cancellationToken));
        if (answers.FirstOrDefault(a => a.Status is MetricQueryStatus.Unreachable or MetricQueryStatus.Error) is { } broken)
        {
            return Broken(result, metric, queries, broken);
        }

        var (canaryRequests, canaryFailures, primaryRequests, primaryFailures) =
            (Count(answers[0]), Count(answers[1]), Count(answers[2]), Count(answers[3]));
        // A 5xx series can be scraped a moment before its request total: never let failures exceed requests.
        canaryFailures = Math.Min(canaryFailures, canaryRequests);
        primaryFailures = Math.Min(primaryFailures, primaryRequests);
        var counts = new ErrorCounts(canaryFailures, canaryRequests, primaryFailures, primaryRequests);
        result = result with
        {
            CanarySamples = canaryRequests,
            PrimarySamples = primaryRequests,
            Value = canaryRequests > 0 ? SuccessRate(canaryFailures, canaryRequests) : null,
            PrimaryValue = primaryRequests > 0 ? SuccessRate(primaryFailures, primaryRequests) : null,
            Counts = counts,
        };
        if (canaryRequests < settings.MinSamples || primaryRequests < settings.MinSamples)
        {
            return Inconclusive(result, canaryId, metric, "requests", canaryRequests, primaryRequests, settings.MinSamples);
        }

        var alpha = 1 - judge.Confidence;
        var step = ErrorShareTest.Compare(canaryFailures, canaryRequests, primaryFailures, primaryRequests, settings.MaxRatio, settings.Margin);
        ErrorCounts[] allSteps = [.. earlierSteps, counts];
        var rollout = earlierSteps.Count == 0 ? null : ErrorShareTest.CompareSteps(allSteps, settings.MaxRatio, settings.Margin);
        var stepFails = step.PValue < alpha && step.ExceedsMargin;
        var rolloutFails = rollout is not null && rollout.PValue < alpha && rollout.ExceedsMargin;

        // The step alone, or the rollout so far step by step: whichever has the stronger evidence decides.
        var byRollout = rollout is not null && (rolloutFails == stepFails ? rollout.PValue < step.PValue : rolloutFails);
        var decisive = byRollout ? rollout! : step;
        var scope = byRollout ? FormattableString.Invariant($"{earlierSteps.Count + 1} steps") : "this step";
        var observed = byRollout ? ErrorCounts.Sum(allSteps) : counts;
        var described = FormattableString.Invariant(
            $"canary {100 - (decisive.CanaryShare * 100):F2}% ({observed.CanaryFailures} of {observed.CanaryRequests} failed) vs primary {100 - (decisive.PrimaryShare * 100):F2}% ({observed.PrimaryFailures} of {observed.PrimaryRequests} failed) over {scope}");
        result = result with { PValue = decisive.PValue };
        if (stepFails || rolloutFails)
        {
            var ratio = decisive.PrimaryShare > 0 ? FormattableString.Invariant($"{decisive.CanaryShare / decisive.PrimaryShare:0.#}x the primary's") : "above the primary's (which had none)";
            return result with
            {
                Outcome = MetricCheckOutcome.WorseThanPrimary,
                FailFast = decisive.PValue < 1 - judge.FailFastConfidence,
                Message = FormattableString.Invariant(
                    $"Halt {canaryId} advancement {metric.Name} {described}: failure share {ratio}, more than {settings.MaxRatio}x allowed (p={P(decisive.PValue)})"),
            };
        }

        if (ThresholdEvaluator.Violation(MetricKind.SuccessRate, result.Value!.Value, metric, canaryId) is { } floor && metric.ThresholdRange is not null)
        {
            return result with { Outcome = MetricCheckOutcome.ThresholdExceeded, Message = floor };
        }

        return result with
        {
            Outcome = MetricCheckOutcome.Passed,
            Message = FormattableString.Invariant($"Metric {metric.Name} {described}: no worse than {settings.MaxRatio}x (p={P(decisive.PValue)})"),
        };
    }

    private static async Task<MetricCheckResult> LatencyAsync(
        string canaryId, CanaryMetric metric, JudgeQuerySet queries, EffectiveJudge judge, EffectiveMetricJudge settings,
        IMetricProvider provider, MetricCheckResult result, CancellationToken cancellationToken)
    {
        var answers = await Task.WhenAll(
            provider.RunQueryAsync(queries.Canary.Buckets!, cancellationToken),
            provider.RunQueryAsync(queries.Primary.Buckets!, cancellationToken));
        if (answers.FirstOrDefault(a => a.Status is MetricQueryStatus.Unreachable or MetricQueryStatus.Error) is { } broken)
        {
            return Broken(result, metric, queries, broken);
        }

        var canary = Buckets(answers[0]);
        var primary = Buckets(answers[1]);
        var canarySamples = Total(canary);
        var primarySamples = Total(primary);
        var quantileName = QuantileName(settings.Quantile);
        result = result with
        {
            CanarySamples = canarySamples,
            PrimarySamples = primarySamples,
            Value = canarySamples > 0 ? LatencyQuantileTest.HistogramQuantile(canary, settings.Quantile) * queries.BucketsToMilliseconds : null,
            PrimaryValue = primarySamples > 0 ? LatencyQuantileTest.HistogramQuantile(primary, settings.Quantile) * queries.BucketsToMilliseconds : null,
        };
        if (canarySamples < settings.MinSamples || primarySamples < settings.MinSamples)
        {
            return Inconclusive(result, canaryId, metric, "observations", canarySamples, primarySamples, settings.MinSamples);
        }

        var test = LatencyQuantileTest.Compare(canary, primary, settings.Quantile, settings.MaxRatio, settings.Margin, queries.BucketsToMilliseconds);
        result = result with { PValue = test.PValue, Value = test.CanaryQuantileMs, PrimaryValue = test.PrimaryQuantileMs };
        var values = $"canary {quantileName} {Ms(test.CanaryQuantileMs)} vs primary {quantileName} {Ms(test.PrimaryQuantileMs)}";
        if (test.PValue < 1 - judge.Confidence)
        {
            return result with
            {
                Outcome = MetricCheckOutcome.WorseThanPrimary,
                FailFast = test.PValue < 1 - judge.FailFastConfidence,
                Message = FormattableString.Invariant(
                    $"Halt {canaryId} advancement {metric.Name} {values}: {test.CanaryAbove} of {test.CanarySamples} canary requests above {Ms(test.ThresholdMs)} ({settings.MaxRatio}x the primary's {quantileName}), at most {(1 - settings.Quantile) * 100:0.###}% allowed (p={P(test.PValue)})"),
            };
        }

        if (ThresholdEvaluator.Violation(MetricKind.Duration, Math.Truncate(test.CanaryQuantileMs), metric, canaryId) is { } ceiling && metric.ThresholdRange is not null)
        {
            return result with { Outcome = MetricCheckOutcome.ThresholdExceeded, Message = ceiling };
        }

        return result with
        {
            Outcome = MetricCheckOutcome.Passed,
            Message = FormattableString.Invariant($"Metric {metric.Name} {values}: no worse than {settings.MaxRatio}x (p={P(test.PValue)})"),
        };
    }

    private static MetricCheckResult Inconclusive(
        MetricCheckResult result, string canaryId, CanaryMetric metric, string unit, long canary, long primary, int needed) => result with
        {
            Outcome = MetricCheckOutcome.Inconclusive,
            Message = FormattableString.Invariant(
                $"Holding {canaryId} {metric.Name} inconclusive: {canary} canary and {primary} primary {unit} in the window, {needed} needed on each side"),
        };

    private static MetricCheckResult Broken(MetricCheckResult result, CanaryMetric metric, JudgeQuerySet queries, MetricQueryResult answer) =>
        answer.Status == MetricQueryStatus.Unreachable
            ? result with
            {
                Outcome = MetricCheckOutcome.ProviderUnreachable,
                Message = $"Metric query failed for {metric.Name}: metric provider {queries.Provider.Describe()} unreachable: {answer.Detail}",
            }
            : result with { Outcome = MetricCheckOutcome.QueryFailed, Message = $"Metric query failed for {metric.Name}: {answer.Detail}" };

    // No data means no request was counted on that side in the window.
    private static long Count(MetricQueryResult answer) =>
        answer.HasValue && double.IsFinite(answer.Value!.Value) ? Math.Max(0, (long)Math.Round(answer.Value.Value)) : 0;

    private static List<HistogramBucket> Buckets(MetricQueryResult answer) =>
        [.. answer.Samples
            .Where(s => s.Labels.ContainsKey("le"))
            .Select(s => new HistogramBucket(ParseBound(s.Labels["le"]), double.IsFinite(s.Value) ? Math.Max(0, s.Value) : 0))];

    private static long Total(List<HistogramBucket> buckets) =>
        buckets.Count == 0 ? 0 : (long)Math.Round(buckets.Max(b => b.CumulativeCount));

    private static double ParseBound(string le) =>
        le is "+Inf" or "Inf" ? double.PositiveInfinity : double.Parse(le, NumberStyles.Float, CultureInfo.InvariantCulture);

    private static double SuccessRate(long failures, long requests) => 100.0 * (requests - failures) / requests;

    private static string QuantileName(double quantile) => FormattableString.Invariant($"p{quantile * 100:0.#}");

    private static string P(double p) => p.ToString(p < 0.001 ? "0.##e0" : "0.###", CultureInfo.InvariantCulture);

    private static string Ms(double milliseconds) =>
        double.IsFinite(milliseconds) ? GoDuration.Format(TimeSpan.FromMilliseconds(Math.Round(milliseconds))) : "+Inf";
}
