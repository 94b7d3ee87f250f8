using Canary.Api.V1Beta1;
using Canary.MetricTemplates.Analysis;
using Canary.MetricTemplates.Templates;
using Canary.Rollout.StateMachine;

namespace Canary.Rollout.Engine;

/// <summary>Evaluates the metrics of a Canary for one tick (and, at initialization, whether their providers answer).</summary>
public interface IAnalysisRunner
{
    /// <summary>
    /// All metric checks; Failed with the Flagger-worded message of every failing metric. <paramref name="routes"/>: the
    /// routes the target decides (a Knative Service's revisions), null when the spec decides them.
    /// </summary>
    Task<CheckOutcome> AnalyzeAsync(CanaryResource canary, MetricRoutes? routes, CancellationToken cancellationToken);

    /// <summary>Reachability of the metric providers (informational).</summary>
    Task<CheckOutcome> CheckProvidersAsync(CanaryResource canary, CancellationToken cancellationToken);
}

/// <summary>
/// <see cref="IAnalysisRunner"/> over the MetricTemplates project's <see cref="MetricsAnalyzer"/>; <paramref name="observe"/>
/// (optional) sees every metric result, e.g. to export the measured values.
/// </summary>
public sealed class MetricsAnalyzerRunner(
    MetricsAnalyzer analyzer, IMetricTemplateSource templates, Action<CanaryResource, IReadOnlyList<MetricCheckResult>>? observe = null) : IAnalysisRunner
{
    /// <inheritdoc />
    public async Task<CheckOutcome> AnalyzeAsync(CanaryResource canary, MetricRoutes? routes, CancellationToken cancellationToken)
    {
        var results = await analyzer.AnalyzeAsync(canary, templates, routes, cancellationToken).ConfigureAwait(false);
        observe?.Invoke(canary, results);
        return Outcome(results);
    }

    /// <summary>
    /// Failed when any metric failed (fail-fast when any failure is overwhelming), else inconclusive when any metric lacked
    /// evidence, else passed; every metric's check is kept for the status.
    /// </summary>
    public static CheckOutcome Outcome(IReadOnlyList<MetricCheckResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var checks = results.Select(Record).ToList();
        var failures = results.Where(r => !r.Passed && !r.Inconclusive).ToList();
        if (failures.Count > 0)
        {
            return new CheckOutcome(CheckVerdict.Failed, [], [.. failures.Select(r => r.Message)]) { Checks = checks, FailFast = failures.Any(r => r.FailFast) };
        }

        var inconclusive = results.Where(r => r.Inconclusive).Select(r => r.Message).ToList();
        return inconclusive.Count > 0
            ? new CheckOutcome(CheckVerdict.Inconclusive, [], inconclusive) { Checks = checks }
            : CheckOutcome.Pass with { Checks = checks };
    }

    private static MetricCheckRecord Record(MetricCheckResult result) => new(
        result.MetricName,
        result.Passed ? CheckVerdicts.Pass : result.Inconclusive ? CheckVerdicts.Inconclusive : CheckVerdicts.Fail,
        result.Message,
        result.Value,
        result.PrimaryValue,
        result.CanarySamples,
        result.PrimarySamples,
        result.PValue)
    {
        Counts = result.Counts,
    };

    /// <inheritdoc />
    public async Task<CheckOutcome> CheckProvidersAsync(CanaryResource canary, CancellationToken cancellationToken)
    {
        var checks = await analyzer.CheckProvidersAsync(canary, templates, cancellationToken).ConfigureAwait(false);
        var offline = checks.Where(c => !c.Health.IsOnline).Select(c => $"{c.MetricName}: {c.Health.Reason}").ToList();
        return offline.Count == 0 ? CheckOutcome.Pass : new CheckOutcome(CheckVerdict.Failed, [], offline);
    }
}
