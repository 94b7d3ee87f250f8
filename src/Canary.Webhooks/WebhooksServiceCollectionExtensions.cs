using System.Net.Security;
using Canary.Webhooks.Hooks;
using Canary.Webhooks.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Canary.Webhooks;

/// <summary>Registers the webhook client, payload factory and runner with their HTTP clients.</summary>
public static class WebhooksServiceCollectionExtensions
{
    /// <summary>Adds <see cref="IWebhookClient"/>, <see cref="WebhookPayloadFactory"/> and <see cref="WebhookRunner"/>.</summary>
    public static IServiceCollection AddCanaryWebhooks(this IServiceCollection services, Action<WebhookOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<WebhookOptions>();
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IWebhookClient, WebhookClient>();
        services.TryAddSingleton<WebhookPayloadFactory>();
        services.TryAddSingleton<WebhookRunner>();

        // Polly owns the timeouts; HttpClient's own 100s default would only mask them.
        services.AddHttpClient(HttpClientNames.Webhooks, c => c.Timeout = Timeout.InfiniteTimeSpan);
        services.AddHttpClient(HttpClientNames.WebhooksInsecure, c => c.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(CreateInsecureHandler);
        return services;
    }

    private static SocketsHttpHandler CreateInsecureHandler() => new()
    {
        SslOptions = new SslClientAuthenticationOptions
        {
#pragma warning disable CA5359 // The Canary author asked for it with disableTLS: true (Flagger's InsecureSkipVerify).
            RemoteCertificateValidationCallback = static (_, _, _, _) => true,
#pragma warning restore CA5359
        },
    };
}
