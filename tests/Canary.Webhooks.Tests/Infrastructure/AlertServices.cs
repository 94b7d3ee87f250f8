using Canary.Api.Http;
using Canary.Webhooks.Alerts;
using Microsoft.Extensions.DependencyInjection;

namespace Canary.Webhooks.Tests.Infrastructure;

/// <summary>The production alert wiring with test-sized retry delays.</summary>
public static class AlertServices
{
    public static ServiceProvider Build(Action<AlertOptions>? configure = null, Action<OutboundHttpOptions>? outbound = null)
    {
        var services = new ServiceCollection();
        if (outbound is not null)
        {
            services.Configure(outbound);
        }

        services.AddCanaryAlerts(o =>
        {
            // Generous: no test here waits for a timeout, and a loaded CI machine must not turn a slow answer into one.
            o.Timeout = TimeSpan.FromSeconds(10);
            o.Retries = 1;
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(10);
            o.RetryMaxDelay = TimeSpan.FromMilliseconds(50);
            configure?.Invoke(o);
        });
        return services.BuildServiceProvider();
    }
}
