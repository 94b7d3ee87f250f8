using Canary.Api.Http;
using Canary.Webhooks.Hooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Canary.Webhooks.Tests.Infrastructure;

/// <summary>The production DI wiring with test-sized delays and a fake clock (it drives only timestamps; Polly gets the real clock).</summary>
public static class Services
{
    public static readonly DateTimeOffset Now = new(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);

    public static ServiceProvider Build(Action<WebhookOptions>? configure = null, Action<OutboundHttpOptions>? outbound = null)
    {
        var services = new ServiceCollection();
        if (outbound is not null)
        {
            services.Configure(outbound);
        }

        services.AddCanaryWebhooks(o =>
        {
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(10);
            o.RetryMaxDelay = TimeSpan.FromMilliseconds(50);
            configure?.Invoke(o);
        });
        return services.BuildServiceProvider();
    }

    public static WebhookPayloadFactory PayloadsAt(DateTimeOffset now) => new(new FakeTimeProvider(now));
}
