using Canary.Api.V1Beta1;
using Canary.MetricTemplates.Analysis;
using Microsoft.Extensions.Options;

namespace Canary.MetricTemplates.Providers;

/// <summary>Builds the <see cref="IMetricProvider"/> for a provider type; unimplemented Flagger types fail clearly instead of stubbing.</summary>
public sealed class MetricProviderFactory : IMetricProviderFactory
{
    /// <summary>Named HttpClient for verified TLS.</summary>
    public const string HttpClientName = "Canary.MetricTemplates";

    /// <summary>Named HttpClient that skips TLS verification (insecureSkipVerify).</summary>
    public const string InsecureHttpClientName = "Canary.MetricTemplates.Insecure";

    /// <summary>Types this build can query.</summary>
    public static IReadOnlyList<string> SupportedTypes => MetricBackendRegistry.Default.Types;

    private readonly MetricBackendContext _context;

    public MetricProviderFactory(IHttpClientFactory httpClientFactory, IOptions<MetricsAnalyzerOptions> options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(httpClientFactory);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        var prometheus = options.Value.Prometheus;
        _context = new MetricBackendContext(
            httpClientFactory, PrometheusResiliencePipeline.Create(prometheus, timeProvider), prometheus.MaxResponseBytes, timeProvider);
    }

    /// <inheritdoc />
    public IMetricProvider Create(MetricProviderSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var type = spec.EffectiveType;
        if (MetricBackendRegistry.Default.Find(type) is { } backend)
        {
            return backend.Create(_context, spec);
        }

        if (MetricProviderTypes.All.Contains(type))
        {
            throw new MetricProviderException($"metric provider type not supported yet: {type}");
        }

        // Flagger silently falls back to Prometheus here; querying the wrong backend would hide the typo.
        throw new MetricProviderException(
            $"unknown metric provider type: {type} (supported: {string.Join(", ", SupportedTypes)})");
    }
}
