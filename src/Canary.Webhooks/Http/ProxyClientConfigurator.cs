using System.Net;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Options;

namespace Canary.Webhooks.Http;

/// <summary>
/// Gives every alert client named <c>Canary.Alerts.Proxy:&lt;url&gt;</c> a primary handler using that proxy, so a provider's
/// proxy is honoured while IHttpClientFactory still pools and recycles the handlers.
/// </summary>
internal sealed class ProxyClientConfigurator : IConfigureNamedOptions<HttpClientFactoryOptions>
{
    public void Configure(HttpClientFactoryOptions options) => Configure(Options.DefaultName, options);

    public void Configure(string? name, HttpClientFactoryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (name is null || !name.StartsWith(HttpClientNames.AlertsProxyPrefix, StringComparison.Ordinal))
        {
            return;
        }

        var proxy = new Uri(name[HttpClientNames.AlertsProxyPrefix.Length..]);
        options.HttpClientActions.Add(client => client.Timeout = Timeout.InfiniteTimeSpan);
        options.HttpMessageHandlerBuilderActions.Add(builder =>
        {
            builder.PrimaryHandler = OutboundHandlers.CreatePrimary(new WebProxy(proxy));
            builder.AdditionalHandlers.Add(OutboundHandlers.CreateRedirectHandler(builder.Services));
        });
    }
}
