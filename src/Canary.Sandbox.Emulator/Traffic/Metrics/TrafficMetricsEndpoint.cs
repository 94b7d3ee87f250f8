using System.Text;
using Canary.Sandbox.ApiServer.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

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
        var (app, bound) = await LoopbackApp.StartAsync(port, web => web.MapGet("/metrics", (HttpContext context) => Scrape(simulator, context)), cancellationToken).ConfigureAwait(false);
        return new TrafficMetricsEndpoint(app, new Uri($"http://127.0.0.1:{bound}/metrics"));
    }

    public ValueTask DisposeAsync() => LoopbackApp.StopAsync(_app);

    private static async Task Scrape(TrafficSimulator simulator, HttpContext context)
    {
        // Render under the simulator's lock into memory, then write without holding it.
        using var text = new StringWriter(new StringBuilder(64 * 1024), System.Globalization.CultureInfo.InvariantCulture);
        simulator.WriteMetrics(text);
        context.Response.ContentType = ContentType;
        await context.Response.WriteAsync(text.ToString(), context.RequestAborted).ConfigureAwait(false);
    }
}
