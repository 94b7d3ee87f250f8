using Canary.Api.Durations;
using Canary.Api.Support;
using Canary.Api.V1Beta1;
using Canary.Api.Validation;
using Canary.MetricTemplates.BuiltIn;
using Canary.MetricTemplates.Providers;
using Canary.MetricTemplates.Templates;
using CanaryResource = Canary.Api.V1Beta1.Canary;

namespace Canary.MetricTemplates.Analysis;

/// <summary>
/// Turns a CanaryMetric into a runnable query. Precedence: templateRef, then the deprecated inline query, then the
/// built-in name. (Flagger runs a built-in name with a templateRef twice; here the template wins.)
/// </summary>
internal sealed class MetricQueryResolver(MetricQueryRenderer renderer, MetricsAnalyzerOptions options)
{
    private static readonly ApiSupport TemplateSupport = ApiSupport.Everything with { MetricBackends = MetricBackendRegistry.Default.Types };

    public async Task<ResolvedMetricQuery> ResolveAsync(
        CanaryResource canary, CanaryMetric metric, IMetricTemplateSource templates, MetricRoutes? routes, CancellationToken cancellationToken)
    {
        var model = MetricTemplateModel.FromCanary(canary, metric, routes);
        if (metric.TemplateRef is { } templateRef)
        {
            return await FromTemplateAsync(templateRef, model, templates, cancellationToken).ConfigureAwait(false);
        }

        if (!string.IsNullOrWhiteSpace(metric.Query))
        {
            return new(MetricKind.Custom, "inline query", PrometheusProvider.CollapseWhitespace(metric.Query), MetricsServer(canary, metric));
        }

        if (BuiltInMetrics.IsBuiltIn(metric.Name))
        {
            return FromBuiltIn(canary, metric, model, cancellationToken);
        }

        throw new MetricResolutionException($"Metric query failed for {metric.Name}: no usable metrics template and query were configured");
    }

    private async Task<ResolvedMetricQuery> FromTemplateAsync(
        CrossNamespaceObjectReference templateRef, MetricTemplateModel model, IMetricTemplateSource templates, CancellationToken cancellationToken)
    {
        var (template, id, source, provider) = await LoadTemplateAsync(templateRef, model.Namespace, templates, cancellationToken).ConfigureAwait(false);

        // Backends that query a time range (Datadog, New Relic, ...) end it now and start it one metric interval before.
        var window = GoDuration.TryParse(model.Interval, out var interval) ? interval : (TimeSpan?)null;
        // PromQL reads the same on one line; other languages may not (a SignalFlow program is one statement per line).
        var query = Render(template.Spec.Query ?? string.Empty, model, id, cancellationToken, collapse: provider.EffectiveType == MetricProviderTypes.Prometheus);
        return new(MetricKind.Custom, source, query, provider with { Interval = window });
    }

    /// <summary>The referenced template, its <c>name.namespace</c>, its "template ns/name" source and its backend (with the Secret read from the template's namespace, as Flagger).</summary>
    public async Task<(MetricTemplate Template, string Id, string Source, MetricProviderSpec Provider)> LoadTemplateAsync(
        CrossNamespaceObjectReference templateRef, string canaryNamespace, IMetricTemplateSource templates, CancellationToken cancellationToken)
    {
        var ns = string.IsNullOrEmpty(templateRef.Namespace) ? canaryNamespace : templateRef.Namespace;
        var id = $"{templateRef.Name}.{ns}";
        var template = templates.FindTemplate(ns, templateRef.Name ?? string.Empty)
            ?? throw new MetricResolutionException($"Metric template {id} error: not found");

        // The API server does not run our validators: a template this controller cannot use is refused by field path.
        if (CanaryValidation.Validate(template, TemplateSupport) is { IsValid: false } validation)
        {
            throw new MetricResolutionException($"Metric template {id} is invalid: {validation.Summary}");
        }

        IReadOnlyDictionary<string, byte[]>? secret = null;
        if (template.Spec.Provider?.SecretRef?.Name is { Length: > 0 } secretName)
        {
            secret = await templates.FindSecretAsync(ns, secretName, cancellationToken).ConfigureAwait(false)
                ?? throw new MetricResolutionException($"Metric template {id} secret {secretName} error: not found");
        }

        return (template, id, $"template {ns}/{templateRef.Name}", MetricProviderSpec.FromTemplate(template, secret, options.DefaultMetricsServer));
    }

    /// <summary>Renders a template's query text (whitespace runs collapsed unless <paramref name="collapse"/> is false); render errors name the template.</summary>
    public string Render(string queryTemplate, MetricTemplateModel model, string templateId, CancellationToken cancellationToken, bool collapse = true)
    {
        try
        {
            var query = renderer.Render(queryTemplate, model, cancellationToken);
            return collapse ? PrometheusProvider.CollapseWhitespace(query) : query.Trim();
        }
        catch (QueryRenderException ex)
        {
            throw new MetricResolutionException($"Metric template {templateId} {ex.Message}", ex);
        }
    }

    private ResolvedMetricQuery FromBuiltIn(CanaryResource canary, CanaryMetric metric, MetricTemplateModel model, CancellationToken cancellationToken)
    {
        var provider = BuiltInMetricTemplates.SelectProvider(canary.Spec.Provider, options.DefaultProvider);
        var set = BuiltInMetricTemplates.Find(provider);
        var isDuration = metric.Name == BuiltInMetrics.RequestDuration;
        var query = renderer.Render(set.QueryFor(metric.Name)!, model, cancellationToken);
        return new(
            isDuration ? MetricKind.Duration : MetricKind.SuccessRate,
            $"built-in {set.Provider}",
            PrometheusProvider.CollapseWhitespace(query),
            MetricsServer(canary, metric),
            isDuration ? set.DurationToMilliseconds : 1,
            set.Provider);
    }

    /// <summary>The Prometheus server built-in and inline queries run against (the Canary's metricsServer, else the controller's).</summary>
    public MetricProviderSpec MetricsServer(CanaryResource canary, CanaryMetric metric)
    {
        var address = string.IsNullOrWhiteSpace(canary.Spec.MetricsServer) ? options.DefaultMetricsServer : canary.Spec.MetricsServer;
        return string.IsNullOrWhiteSpace(address)
            ? throw new MetricResolutionException(
                $"Metric query failed for {metric.Name}: no metrics server configured (set spec.metricsServer or the controller's default)")
            : new MetricProviderSpec { Type = MetricProviderTypes.Prometheus, Address = address };
    }
}
