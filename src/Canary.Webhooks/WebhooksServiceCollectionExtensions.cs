using System.Net.Security;
using Canary.Api.Http;
using Canary.Webhooks.Alerts;
using Canary.Webhooks.Hooks;
using Canary.Webhooks.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Options;

namespace Canary.Webhooks;

/// <summary>Registers the webhook client and runner, the alert notifiers and dispatcher, and their HTTP clients.</summary>
public static class WebhooksServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="IWebhookClient"/>, <see cref="WebhookPayloadFactory"/> and <see cref="WebhookRunner"/>. Their HTTP
    /// clients follow only same-origin redirects unless <see cref="OutboundHttpOptions.AllowedRedirectHosts"/> says more.
    /// </summary>
    public static IServiceCollection AddCanaryWebhooks(this IServiceCollection services, Action<WebhookOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<WebhookOptions>();
        services.AddOptions<OutboundHttpOptions>();
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IWebhookClient, WebhookClient>();
        services.TryAddSingleton<WebhookPayloadFactory>();
        services.TryAddSingleton<WebhookRunner>();

        // Polly owns the timeouts; HttpClient's own 100s default would only mask them.
        services.AddHttpClient(HttpClientNames.Webhooks, c => c.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => OutboundHandlers.CreatePrimary())
            .AddHttpMessageHandler(OutboundHandlers.CreateRedirectHandler);
        services.AddHttpClient(HttpClientNames.WebhooksInsecure, c => c.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(CreateInsecureHandler)
            .AddHttpMessageHandler(OutboundHandlers.CreateRedirectHandler);
        return services;
    }

    /// <summary>
    /// Adds one <see cref="IAlertNotifier"/> per provider type and the <see cref="AlertDispatcher"/>. Their HTTP clients
    /// follow only same-origin redirects unless <see cref="OutboundHttpOptions.AllowedRedirectHosts"/> says more.
    /// </summary>
    public static IServiceCollection AddCanaryAlerts(this IServiceCollection services, Action<AlertOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<AlertOptions>();
        services.AddOptions<OutboundHttpOptions>();
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<AlertHttpSender>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAlertNotifier, SlackNotifier>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAlertNotifier, MsTeamsNotifier>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAlertNotifier, DiscordNotifier>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAlertNotifier, RocketNotifier>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAlertNotifier, GChatNotifier>());
        services.TryAddSingleton<AlertDispatcher>();
        services.AddHttpClient(HttpClientNames.Alerts, c => c.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => OutboundHandlers.CreatePrimary())
            .AddHttpMessageHandler(OutboundHandlers.CreateRedirectHandler);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<HttpClientFactoryOptions>, ProxyClientConfigurator>());
        return services;
    }

    private static SocketsHttpHandler CreateInsecureHandler()
    {
        var handler = OutboundHandlers.CreatePrimary();
        handler.SslOptions = new SslClientAuthenticationOptions
        {
#pragma warning disable CA5359 // The Canary author asked for it with disableTLS: true (Flagger's InsecureSkipVerify).
            RemoteCertificateValidationCallback = static (_, _, _, _) => true,
#pragma warning restore CA5359
        };
        return handler;
    }
}
