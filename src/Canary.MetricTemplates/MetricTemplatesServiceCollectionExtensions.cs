using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Canary.Api.Http;
using Canary.MetricTemplates.Analysis;
using Canary.MetricTemplates.Providers;
using Canary.MetricTemplates.Templates;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Canary.MetricTemplates;

/// <summary>Registers metric providers, the query renderer and the analyzer.</summary>
public static class MetricTemplatesServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="MetricsAnalyzer"/> and what it needs; <paramref name="configure"/> sets the default metrics server,
    /// provider, and Prometheus timeouts and answer size limit. The Prometheus clients follow only same-origin redirects
    /// unless <see cref="OutboundHttpOptions.AllowedRedirectHosts"/> says more.
    /// </summary>
    public static IServiceCollection AddCanaryMetricTemplates(
        this IServiceCollection services, Action<MetricsAnalyzerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<MetricsAnalyzerOptions>()
            .Validate(o => o.Prometheus.AttemptTimeout > TimeSpan.Zero, "Prometheus attempt timeout must be positive")
            .Validate(o => o.Prometheus.MaxRetryAttempts >= 0, "Prometheus retries must not be negative")
            .Validate(o => o.Prometheus.RetryDelay >= TimeSpan.Zero, "Prometheus retry delay must not be negative")
            .Validate(o => o.Prometheus.MaxResponseBytes > 0, "Prometheus response size limit must be positive")
            .Validate(o => o.DefaultMetricsServer is null || Uri.IsWellFormedUriString(o.DefaultMetricsServer, UriKind.Absolute), "the default metrics server must be an absolute URL")
            .ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        // Polly owns timeouts; HttpClient's own 100 s default would only confuse the error messages.
        services.AddOptions<OutboundHttpOptions>();
        services.AddHttpClient(MetricProviderFactory.HttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(SameOriginRedirectHandler.CreatePrimaryHandler)
            .AddHttpMessageHandler(CreateRedirectHandler);
        services.AddHttpClient(MetricProviderFactory.InsecureHttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(CreateInsecureHandler)
            .AddHttpMessageHandler(CreateRedirectHandler);

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IMetricProviderFactory, MetricProviderFactory>();
        services.TryAddSingleton<MetricQueryRenderer>();
        services.TryAddSingleton<MetricsAnalyzer>();
        return services;
    }

    // Only used by templates that set insecureSkipVerify: the user asked for it explicitly.
    private static SocketsHttpHandler CreateInsecureHandler()
    {
        var handler = SameOriginRedirectHandler.CreatePrimaryHandler();
#pragma warning disable CA5359 // Do not disable certificate validation
        handler.SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = AcceptAnyCertificate };
#pragma warning restore CA5359
        return handler;
    }

    private static DelegatingHandler CreateRedirectHandler(IServiceProvider services) =>
        new SameOriginRedirectHandler(services.GetRequiredService<IOptions<OutboundHttpOptions>>().Value);

    private static bool AcceptAnyCertificate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors) => true;
}
