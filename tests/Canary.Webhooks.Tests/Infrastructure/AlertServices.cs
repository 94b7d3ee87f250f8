using Canary.Webhooks.Alerts;
using Microsoft.Extensions.DependencyInjection;

namespace Canary.Webhooks.Tests.Infrastructure;

/// <summary>The production alert wiring with test-sized timeouts and delays.</summary>
public static class AlertServices
{
    public static ServiceProvider Build(Action<AlertOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddCanaryAlerts(o =>
        {
            o.Timeout = TimeSpan.FromMilliseconds(500);
            o.Retries = 1;
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(10);
            o.RetryMaxDelay = TimeSpan.FromMilliseconds(50);
            configure?.Invoke(o);
        });
        return services.BuildServiceProvider();
    }
}
