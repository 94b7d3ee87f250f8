using System.Net;
using System.Text;
using Canary.Sandbox.ApiServer.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Canary.Sandbox.Traffic.Metrics;

/// <summary>
/// Serves a <see cref="TrafficSimulator"/>'s series on <c>GET /metrics</c> (Prometheus text format 0.0.4) from Kestrel
/// on 127.0.0.1, a free port unless one is given. Dispose to stop listening.
/// </summary>
public sealed class TrafficMetricsEndpoint : IAsyncDisposable
{
    /// <summary>Content type of the Prometheus text exposition format.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly WebApplication _app;

    private TrafficMetricsEndpoint(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    /// <summary>http://127.0.0.1:PORT/metrics</summary>
    public Uri Url { get; }

    /// <summary>host:port, as a Prometheus static target.</summary>
    public string Target => Url.Authority;

    /// <summary>Starts listening; the returned endpoint is ready to be scraped.</summary>
    public static async Task<TrafficMetricsEndpoint> StartAsync(TrafficSimulator simulator, int port = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(simulator);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ApplicationName = typeof(TrafficMetricsEndpoint).Assembly.GetName().Name });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<Microsoft.Extensions.Hosting.IHostLifetime, PassiveHostLifetime>();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Listen(IPAddress.Loopback, port);
        });
        var app = builder.Build();
        app.MapGet("/metrics", (HttpContext context) => Scrape(simulator, context));
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var bound = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return new TrafficMetricsEndpoint(app, new Uri($"http://127.0.0.1:{bound.Port}/metrics"));
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(timeout.Token).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private static async Task Scrape(TrafficSimulator simulator, HttpContext context)
    {
        // Render under the simulator's lock into memory, then write without holding it.
        using var text = new StringWriter(new StringBuilder(64 * 1024), System.Globalization.CultureInfo.InvariantCulture);
        simulator.WriteMetrics(text);
        context.Response.ContentType = ContentType;
        await context.Response.WriteAsync(text.ToString(), context.RequestAborted).ConfigureAwait(false);
    }
}
