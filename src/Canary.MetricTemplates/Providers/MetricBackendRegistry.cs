using Canary.Api.V1Beta1;
using Polly;

namespace Canary.MetricTemplates.Providers;

/// <summary>What a metric backend gets to build its client: named HttpClients, the shared retry pipeline, the size limit and the clock.</summary>
/// <param name="HttpClients">The factory of the named clients (verified TLS, or insecureSkipVerify).</param>
/// <param name="Pipeline">Retries and timeouts shared by the backends.</param>
/// <param name="MaxResponseBytes">Largest answer body a backend reads; a larger one fails the query.</param>
/// <param name="Time">The clock time windows and request signatures are computed from.</param>
public sealed record MetricBackendContext(IHttpClientFactory HttpClients, ResiliencePipeline<HttpResponseMessage> Pipeline, int MaxResponseBytes, TimeProvider Time)
{
    /// <summary>The named client for <paramref name="spec"/> (insecureSkipVerify or not).</summary>
    public HttpClient ClientFor(MetricProviderSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return HttpClients.CreateClient(spec.InsecureSkipVerify ? MetricProviderFactory.InsecureHttpClientName : MetricProviderFactory.HttpClientName);
    }
}

/// <summary>One metric backend: the MetricTemplate <c>spec.provider.type</c> it serves and how to build its client.</summary>
/// <param name="Type">The provider type, e.g. prometheus.</param>
/// <param name="Create">Builds the client for a resolved provider spec.</param>
public sealed record MetricBackend(string Type, Func<MetricBackendContext, MetricProviderSpec, IMetricProvider> Create);

/// <summary>
/// The metric backends this controller implements: the factory, validation and the README ask here. Adding one = its
/// client files plus one line in <see cref="Default"/>.
/// </summary>
public sealed class MetricBackendRegistry
{
    private readonly Dictionary<string, MetricBackend> _byType;

    /// <summary>A registry of <paramref name="backends"/>.</summary>
    public MetricBackendRegistry(IEnumerable<MetricBackend> backends) =>
        _byType = (backends ?? throw new ArgumentNullException(nameof(backends))).ToDictionary(b => b.Type, StringComparer.Ordinal);

    /// <summary>The backends implemented today.</summary>
    public static MetricBackendRegistry Default { get; } = new(
    [
        new MetricBackend(MetricProviderTypes.Prometheus, (context, spec) => new PrometheusProvider(spec, context.ClientFor(spec), context.Pipeline, context.MaxResponseBytes)),
        Backends.InfluxDbProvider.Backend,
        Backends.GraphiteProvider.Backend,
        Backends.DatadogProvider.Backend,
        Backends.NewRelicProvider.Backend,
        Backends.DynatraceProvider.Backend,
        Backends.SplunkProvider.Backend,
        Backends.CloudWatchProvider.Backend,
        Backends.StackdriverProvider.Backend,
    ]);

    /// <summary>Every implemented type, sorted.</summary>
    public IReadOnlyList<string> Types => [.. _byType.Keys.Order(StringComparer.Ordinal)];

    /// <summary>The backend serving <paramref name="type"/>, or null.</summary>
    public MetricBackend? Find(string? type) => type is not null && _byType.TryGetValue(type, out var backend) ? backend : null;
}
