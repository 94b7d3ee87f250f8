using Canary.MetricTemplates.Providers;

namespace Canary.MetricTemplates.Analysis;

/// <summary>A metric check ready to run: the rendered query, where it runs and how its value is read.</summary>
/// <param name="Kind">Threshold semantics.</param>
/// <param name="Source">"built-in &lt;observer&gt;", "template &lt;ns&gt;/&lt;name&gt;" or "inline query".</param>
/// <param name="Query">Rendered query, whitespace collapsed.</param>
/// <param name="Provider">Backend the query runs against.</param>
/// <param name="ValueScale">Factor applied to the raw value (request-duration in seconds → milliseconds).</param>
/// <param name="Observer">Built-in observer name, used in no-data messages; null for templates and inline queries.</param>
public sealed record ResolvedMetricQuery(
    MetricKind Kind, string Source, string Query, MetricProviderSpec Provider, double ValueScale = 1, string? Observer = null);
