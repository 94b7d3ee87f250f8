using System.Net;
using Canary.Api.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Canary.Webhooks.Http;

/// <summary>The handlers every webhook and alert client is built from, so no client forgets the redirect policy.</summary>
internal static class OutboundHandlers
{
    public static SocketsHttpHandler CreatePrimary(IWebProxy? proxy = null)
    {
        var handler = SameOriginRedirectHandler.CreatePrimaryHandler();
        if (proxy is not null)
        {
            handler.Proxy = proxy;
            handler.UseProxy = true;
        }

        return handler;
    }

    public static DelegatingHandler CreateRedirectHandler(IServiceProvider services) =>
        new SameOriginRedirectHandler(services.GetRequiredService<IOptions<OutboundHttpOptions>>().Value);
}
