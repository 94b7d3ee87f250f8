using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Canary.Testing.Http;

/// <summary>Starts Kestrel on 127.0.0.1 and a free port (HTTPS with <c>certificate</c>), quiet, with the app's routes from the caller.</summary>
public static class LoopbackHost
{
    /// <summary>The started app and its base address (<c>http://127.0.0.1:PORT/</c> or https).</summary>
    public static async Task<(WebApplication App, Uri BaseAddress)> StartAsync(
        Action<WebApplication> configure, X509Certificate2? certificate = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Listen(IPAddress.Loopback, 0, listen =>
            {
                if (certificate is not null)
                {
                    listen.UseHttps(certificate);
                }
            });
        });
        var app = builder.Build();
        configure(app);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return (app, new Uri(address.EndsWith('/') ? address : address + "/"));
    }

    /// <summary>Stops <paramref name="app"/> within <paramref name="grace"/> (2 s by default; handlers still running are cancelled) and disposes it.</summary>
    public static async Task StopAsync(WebApplication app, TimeSpan? grace = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        using var stop = new CancellationTokenSource(grace ?? TimeSpan.FromSeconds(2));
        await app.StopAsync(stop.Token);
        await app.DisposeAsync();
    }
}
