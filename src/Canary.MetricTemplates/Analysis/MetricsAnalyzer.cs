using Canary.Api.Defaults;
using Canary.Api.Durations;
using Canary.Api.V1Beta1;
using Canary.MetricTemplates.Judge;
using Canary.MetricTemplates.Judge.Statistics;
using Canary.MetricTemplates.Providers;
using Canary.MetricTemplates.Templates;
using Microsoft.Extensions.Options;
using CanaryResource = Canary.Api.V1Beta1.Canary;

namespace Canary.MetricTemplates.Analysis;

/// <summary>
/// Evaluates the metrics of a Canary for one analysis tick: all checks run in parallel and every result is returned
/// (the caller decides how failures count). No data, an unreachable provider and misconfiguration are failures, never passes.
/// </summary>
public sealed class MetricsAnalyzer
{
    private readonly IMetricProviderFactory _providers;
    private readonly MetricQueryResolver _resolver;
    private readonly JudgeQueryResolver _judgeResolver;
    private readonly MetricJudgement _judgement;
    private readonly SuccessRateFromCounts _successRateFromCounts;
    private readonly TimeProvider _timeProvider;

    public MetricsAnalyzer(IMetricProviderFactory providers, MetricQueryRenderer renderer, IOptions<MetricsAnalyzerOptions> options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(providers);
        ArgumentNullException.ThrowIfNull(renderer);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _providers = providers;
        _resolver = new MetricQueryResolver(renderer, options.Value);
        _judgeResolver = new JudgeQueryResolver(_resolver, options.Value);
        _judgement = new MetricJudgement(providers, timeProvider);
        _successRateFromCounts = new SuccessRateFromCounts(_judgeResolver, providers);
        _timeProvider = timeProvider;
    }

    /// <summary>Checks every metric of the Canary's analysis, in order of declaration; cancellation of the tick propagates.</summary>
    public Task<IReadOnlyList<MetricCheckResult>> AnalyzeAsync(
        CanaryResource canary, IMetricTemplateSource templates, CancellationToken cancellationToken) =>
        AnalyzeAsync(canary, templates, null, cancellationToken);

    /// <summary>As <see cref="AnalyzeAsync(CanaryResource, IMetricTemplateSource, CancellationToken)"/>, with the routes the target decides (Knative revisions).</summary>
    public async Task<IReadOnlyList<MetricCheckResult>> AnalyzeAsync(
        CanaryResource canary, IMetricTemplateSource templates, MetricRoutes? routes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(canary);
        var metrics = canary.Spec.EffectiveAnalysis()?.Metrics ?? [];
        return await Task.WhenAll(metrics.Select(m => CheckAsync(canary, m, templates, routes, cancellationToken)));
    }

    /// <summary>
    /// Resolves, runs and judges one metric. With <c>analysis.judge</c>, a metric that has per-side queries (built-in, or a
    /// template with <c>spec.judge</c>) is compared with the primary over the current step; others keep the absolute check.
    /// </summary>
    public Task<MetricCheckResult> CheckAsync(
        CanaryResource canary, CanaryMetric metric, IMetricTemplateSource templates, CancellationToken cancellationToken) =>
        CheckAsync(canary, metric, templates, null, cancellationToken);

    /// <summary>As <see cref="CheckAsync(CanaryResource, CanaryMetric, IMetricTemplateSource, CancellationToken)"/>, with the routes the target decides.</summary>
    public async Task<MetricCheckResult> CheckAsync(
        CanaryResource canary, CanaryMetric metric, IMetricTemplateSource templates, MetricRoutes? routes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(canary);
        ArgumentNullException.ThrowIfNull(metric);
        ArgumentNullException.ThrowIfNull(templates);
        var name = metric.Name ?? string.Empty;
        if (EffectiveJudge.For(canary.Spec.EffectiveAnalysis()) is { } judge)
        {
            try
            {
                if (await _judgeResolver.ResolveAsync(canary, metric, templates, JudgeWindow(canary, metric), routes, cancellationToken) is { } queries)
                {
                    var canaryId = $"{canary.Metadata.Name}.{canary.Metadata.NamespaceProperty}";
                    return await _judgement.EvaluateAsync(canaryId, metric, queries, judge, EarlierSteps(canary, name), cancellationToken);
                }
            }
            catch (MetricResolutionException ex)
            {
                return Result(name, MetricCheckOutcome.ConfigurationError, ex.Message);
            }
            catch (MetricProviderException ex)
            {
                return Result(name, MetricCheckOutcome.ConfigurationError, $"Metric query failed for {name}: {ex.Message}");
            }
        }

        ResolvedMetricQuery resolved;
        IMetricProvider provider;
        try
        {
            resolved = await _resolver.ResolveAsync(canary, metric, templates, routes, cancellationToken);
            provider = _providers.Create(resolved.Provider);
        }
        catch (MetricResolutionException ex)
        {
            return Result(name, MetricCheckOutcome.ConfigurationError, ex.Message);
        }
        catch (MetricProviderException ex)
        {
            return Result(name, MetricCheckOutcome.ConfigurationError, $"Metric query failed for {name}: {ex.Message}");
        }

        var queryResult = await provider.RunQueryAsync(resolved.Query, cancellationToken);
        if (queryResult.Status == MetricQueryStatus.NoData
            && await _successRateFromCounts.TryAsync(canary, metric, resolved, MetricInterval(metric), templates, routes, cancellationToken) is { } counted)
        {
            queryResult = counted;
        }

        return Judge(canary, metric, resolved, queryResult);
    }

    /// <summary>Checks that each distinct metrics backend used by the Canary answers (Flagger runs this at initialization).</summary>
    public async Task<IReadOnlyList<MetricProviderCheck>> CheckProvidersAsync(
        CanaryResource canary, IMetricTemplateSource templates, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(canary);
        var checks = new List<Task<MetricProviderCheck>>();
        var seen = new HashSet<(string Type, string? Address, bool Insecure)>();
        foreach (var metric in canary.Spec.EffectiveAnalysis()?.Metrics ?? [])
        {
            ResolvedMetricQuery resolved;
            try
            {
                resolved = await _resolver.ResolveAsync(canary, metric, templates, null, cancellationToken);
            }
            catch (MetricResolutionException ex)
            {
                checks.Add(Task.FromResult(new MetricProviderCheck(metric.Name ?? string.Empty, null, MetricProviderHealth.Offline(ex.Message))));
                continue;
            }

            if (seen.Add((resolved.Provider.EffectiveType, resolved.Provider.Address, resolved.Provider.InsecureSkipVerify)))
            {
                checks.Add(ProbeAsync(metric.Name ?? string.Empty, resolved.Provider, cancellationToken));
            }
        }

        return await Task.WhenAll(checks);
    }

    private async Task<MetricProviderCheck> ProbeAsync(string metricName, MetricProviderSpec spec, CancellationToken cancellationToken)
    {
        try
        {
            var provider = _providers.Create(spec);
            return new(metricName, spec.Describe(), await provider.IsOnlineAsync(cancellationToken));
        }
        catch (MetricProviderException ex)
        {
            return new(metricName, spec.Describe(), MetricProviderHealth.Offline(ex.Message));
        }
    }

    private MetricCheckResult Judge(CanaryResource canary, CanaryMetric metric, ResolvedMetricQuery resolved, MetricQueryResult queryResult)
    {
        var name = metric.Name ?? string.Empty;
        var ns = canary.Metadata.NamespaceProperty ?? string.Empty;
        var baseResult = Result(name, MetricCheckOutcome.QueryFailed, string.Empty) with
        {
            Kind = resolved.Kind,
            Source = resolved.Source,
            Query = resolved.Query,
            ThresholdRange = ThresholdEvaluator.EffectiveRange(resolved.Kind, metric),
        };

        switch (queryResult.Status)
        {
            case MetricQueryStatus.NoData:
                var target = canary.Spec.TargetRef?.Name ?? string.Empty;
                return baseResult with
                {
                    Outcome = MetricCheckOutcome.NoData,
                    Message = MetricMessages.NoData(name, resolved, target, ns, queryResult.Detail),
                };
            case MetricQueryStatus.Unreachable:
                return baseResult with
                {
                    Outcome = MetricCheckOutcome.ProviderUnreachable,
                    Message = MetricMessages.Unreachable(name, resolved, queryResult.Detail),
                };
            case MetricQueryStatus.Error:
                return baseResult with { Message = MetricMessages.QueryFailed(name, resolved, queryResult.Detail) };
        }

        var value = resolved.Kind == MetricKind.Duration
            ? ThresholdEvaluator.ToWholeMilliseconds(queryResult.Value!.Value, resolved.ValueScale)
            : queryResult.Value!.Value * resolved.ValueScale;
        var violation = ThresholdEvaluator.Violation(resolved.Kind, value, metric, $"{canary.Metadata.Name}.{ns}");
        return baseResult with
        {
            Value = value,
            Outcome = violation is null ? MetricCheckOutcome.Passed : MetricCheckOutcome.ThresholdExceeded,
            Message = violation ?? MetricMessages.Passed(name, value),
        };
    }

    /// <summary>
    /// The judge's window: the current traffic step so far (status.stepStartTime), so both sides are compared under the
    /// same weight and the evidence of a held step keeps growing; the metric's interval when no step start is recorded.
    /// </summary>
    private TimeSpan JudgeWindow(CanaryResource canary, CanaryMetric metric)
    {
        if (canary.Status?.StepStartTime is { } start)
        {
            var elapsed = _timeProvider.GetUtcNow() - new DateTimeOffset(DateTime.SpecifyKind(start, DateTimeKind.Utc));
            if (elapsed > TimeSpan.Zero)
            {
                return elapsed;
            }
        }

        return MetricInterval(metric);
    }

    /// <summary>The window a metric's query covers (its <c>interval</c>, 1m by default).</summary>
    private static TimeSpan MetricInterval(CanaryMetric metric) =>
        GoDuration.TryParse(metric.Interval ?? MetricTemplateModel.DefaultInterval, out var interval) && interval > TimeSpan.Zero
            ? interval
            : TimeSpan.FromMinutes(1);

    /// <summary>
    /// The counts the judge kept for this metric's earlier traffic steps of the current rollout (status.evidence); the
    /// current step is queried afresh.
    /// </summary>
    private static List<ErrorCounts> EarlierSteps(CanaryResource canary, string metric) =>
        [.. (canary.Status?.Evidence ?? [])
            .Where(e => e.Metric == metric && e.StepStartTime is not null && e.StepStartTime != canary.Status!.StepStartTime)
            .Select(ErrorCounts.From)
            .Where(c => c.CanaryFailures >= 0 && c.PrimaryFailures >= 0 && c.CanaryFailures <= c.CanaryRequests && c.PrimaryFailures <= c.PrimaryRequests)];

    private MetricCheckResult Result(string name, MetricCheckOutcome outcome, string message) =>
        new() { MetricName = name, Outcome = outcome, Message = message, CheckedAt = _timeProvider.GetUtcNow() };
}
