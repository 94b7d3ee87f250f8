using Canary.Api.V1Beta1;
using Canary.MetricTemplates.Judge;
using Canary.MetricTemplates.Providers;
using Canary.MetricTemplates.Templates;
using CanaryResource = Canary.Api.V1Beta1.Canary;

namespace Canary.MetricTemplates.Analysis;

/// <summary>
/// A second look when the built-in <c>request-success-rate</c> finds no data. Flagger's ratio is empty not only without
/// traffic but also when every request failed (no non-5xx series to divide) or when the canary's series were born too
/// recently for <c>rate()</c>, and it then reports "probably not receiving traffic", the most common support question.
/// Here the canary's requests and failures in the same window are counted with the judge's queries: with requests, the
/// success rate is measured from them (0% when all failed); without, the no-data answer stands.
/// </summary>
internal sealed class SuccessRateFromCounts(JudgeQueryResolver judgeQueries, IMetricProviderFactory providers)
{
    /// <summary>
    /// The success rate (percent) over <paramref name="window"/>, the metric's own interval, when <paramref name="resolved"/>
    /// (which found no data) is the built-in success rate; null to keep the no-data answer (another metric, or no request).
    /// </summary>
    public async Task<MetricQueryResult?> TryAsync(
        CanaryResource canary, CanaryMetric metric, ResolvedMetricQuery resolved, TimeSpan window, IMetricTemplateSource templates, MetricRoutes? routes,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resolved);
        if (resolved.Kind != MetricKind.SuccessRate) // only the built-in request-success-rate resolves to this kind
        {
            return null;
        }

        try
        {
            if (await judgeQueries.ResolveAsync(canary, metric, templates, window, routes, cancellationToken).ConfigureAwait(false) is not
                { Canary: { Requests: { } requestsQuery, Failures: { } failuresQuery } } queries)
            {
                return null;
            }

            var provider = providers.Create(queries.Provider);
            var requests = await provider.RunQueryAsync(requestsQuery, cancellationToken).ConfigureAwait(false);
            // Whole requests: less than one served is no traffic.
            if (requests is not { Status: MetricQueryStatus.Value, Value: >= 1 and var served })
            {
                return null;
            }

            var failures = await provider.RunQueryAsync(failuresQuery, cancellationToken).ConfigureAwait(false);
            double? failed = failures switch
            {
                { Status: MetricQueryStatus.Value, Value: { } n } => Math.Clamp(n, 0, served),
                { Status: MetricQueryStatus.NoData } => 0, // no 5xx series at all
                _ => null,
            };
            return failed is { } f ? MetricQueryResult.Of(100 * (served - f) / served) : null;
        }
        catch (Exception e) when (e is MetricResolutionException or MetricProviderException)
        {
            return null; // a data plane without count queries (apisix): Flagger's no data stands
        }
    }
}
