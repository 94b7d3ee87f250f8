using System.Globalization;
using Canary.Api.V1Beta1;
using Canary.MetricTemplates.Analysis;
using Canary.MetricTemplates.BuiltIn;
using Canary.MetricTemplates.Templates;
using CanaryResource = Canary.Api.V1Beta1.Canary;

namespace Canary.MetricTemplates.Judge;

/// <summary>
/// Finds and renders the judge's per-side queries of a metric: the built-in count/bucket queries of the provider, or a
/// MetricTemplate's <c>spec.judge</c>. A metric without them (inline query, template without judge) returns null and
/// keeps Flagger's absolute check.
/// </summary>
internal sealed class JudgeQueryResolver(MetricQueryResolver resolver, MetricsAnalyzerOptions options)
{
    public async Task<JudgeQuerySet?> ResolveAsync(
        CanaryResource canary, CanaryMetric metric, IMetricTemplateSource templates, TimeSpan window, MetricRoutes? routes, CancellationToken cancellationToken)
    {
        var model = MetricTemplateModel.FromCanary(canary, metric, routes) with { Interval = Window(window) };
        if (metric.TemplateRef is { } templateRef)
        {
            var (template, id, source, provider) = await resolver.LoadTemplateAsync(templateRef, model.Namespace, templates, cancellationToken).ConfigureAwait(false);
            if (template.Spec.Judge is not { } judge)
            {
                return null;
            }

            var histogram = judge.Type == MetricJudgeTypes.Histogram;
            return new JudgeQuerySet(
                histogram ? JudgeComparison.LatencyQuantile : JudgeComparison.ErrorShare,
                Side(model, JudgeSides.Canary, judge.RequestsQuery, judge.FailuresQuery, judge.BucketsQuery, id, cancellationToken),
                Side(model, JudgeSides.Primary, judge.RequestsQuery, judge.FailuresQuery, judge.BucketsQuery, id, cancellationToken),
                judge.BucketsToMilliseconds ?? 1,
                provider,
                source);
        }

        if (!string.IsNullOrWhiteSpace(metric.Query) || !BuiltInMetrics.IsBuiltIn(metric.Name))
        {
            return null;
        }

        var observer = BuiltInMetricTemplates.SelectProvider(canary.Spec.Provider, options.DefaultProvider);
        var set = BuiltInMetricTemplates.Find(observer);
        var latency = metric.Name == BuiltInMetrics.RequestDuration;
        var (requests, failures, buckets) = latency ? (null, null, set.BucketsQuery) : (set.RequestsQuery, set.FailuresQuery, (string?)null);
        if (latency ? buckets is null : requests is null || failures is null)
        {
            throw new MetricResolutionException(
                $"Metric query failed for {metric.Name}: provider {set.Provider} has no built-in judge queries; use a MetricTemplate with spec.judge");
        }

        var builtIn = $"built-in {set.Provider}";
        return new JudgeQuerySet(
            latency ? JudgeComparison.LatencyQuantile : JudgeComparison.ErrorShare,
            Side(model, JudgeSides.Canary, requests, failures, buckets, builtIn, cancellationToken),
            Side(model, JudgeSides.Primary, requests, failures, buckets, builtIn, cancellationToken),
            set.BucketsToMilliseconds,
            resolver.MetricsServer(canary, metric),
            builtIn);
    }

    /// <summary>The window as a PromQL duration: whole seconds, at least one.</summary>
    public static string Window(TimeSpan window) =>
        Math.Max(1, (long)Math.Ceiling(window.TotalSeconds)).ToString(CultureInfo.InvariantCulture) + "s";

    private SideQueries Side(
        MetricTemplateModel model, string side, string? requests, string? failures, string? buckets, string id, CancellationToken cancellationToken)
    {
        var primary = side == JudgeSides.Primary;
        var sideModel = model with
        {
            Side = side,
            Workload = primary ? model.Target + CanaryApi.PrimarySuffix : model.Target,
            Route = primary ? model.PrimaryRoute ?? model.Route : model.Route,
        };
        return new SideQueries(
            requests is null ? null : resolver.Render(requests, sideModel, id, cancellationToken),
            failures is null ? null : resolver.Render(failures, sideModel, id, cancellationToken),
            buckets is null ? null : resolver.Render(buckets, sideModel, id, cancellationToken));
    }
}
