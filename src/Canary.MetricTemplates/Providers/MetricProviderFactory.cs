using Canary.Api.V1Beta1;
using Polly;

namespace Canary.MetricTemplates.Providers;

/// <summary>Builds the <see cref="IMetricProvider"/> for a provider type; unimplemented Flagger types fail clearly instead of stubbing.</summary>
public sealed class MetricProviderFactory : IMetricProviderFactory
{
    /// <summary>Named HttpClient for verified TLS.</summary>
    public const string HttpClientName = "Canary.MetricTemplates";

    /// <summary>Named HttpClient that skips TLS verification (insecureSkipVerify).</summary>
    public const string InsecureHttpClientName = "Canary.MetricTemplates.Insecure";

    /// <summary>Types this build can query.</summary>
    public static IReadOnlyList<string> SupportedTypes { get; } = [MetricProviderTypes.Prometheus];

    private readonly IHttpClientFactory _httpClientFactory;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;

    public MetricProviderFactory(IHttpClientFactory httpClientFactory, PrometheusClientOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(httpClientFactory);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _httpClientFactory = httpClientFactory;
        _pipeline = PrometheusResiliencePipeline.Create(options, timeProvider);
    }

    /// <inheritdoc />
    public IMetricProvider Create(MetricProviderSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var type = spec.EffectiveType;
        if (type == MetricProviderTypes.Prometheus)
        {
            var client = _httpClientFactory.CreateClient(spec.InsecureSkipVerify ? InsecureHttpClientName : HttpClientName);
            return new PrometheusProvider(spec, client, _pipeline);
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
