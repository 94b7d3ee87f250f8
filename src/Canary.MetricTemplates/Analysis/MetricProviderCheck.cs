using Canary.MetricTemplates.Providers;

namespace Canary.MetricTemplates.Analysis;

/// <summary>Availability of the backend behind one metric.</summary>
/// <param name="MetricName">First metric that uses the backend.</param>
/// <param name="Provider">Backend type and address; null when the metric could not be resolved.</param>
/// <param name="Health">Whether the backend answered.</param>
public sealed record MetricProviderCheck(string MetricName, string? Provider, MetricProviderHealth Health);
