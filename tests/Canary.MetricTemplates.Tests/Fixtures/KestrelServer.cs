using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Canary.MetricTemplates.Tests.Fixtures;

/// <summary>A request seen by <see cref="KestrelServer"/>.</summary>
public sealed record KestrelRequest(string PathAndQuery, string? Authorization);

/// <summary>
/// Kestrel on 127.0.0.1 and a free port, optionally over HTTPS, running a handler that may misbehave (never answer,
/// stream forever, redirect). Unlike <see cref="LoopbackHttpServer"/> it serves requests concurrently and can do TLS.
/// The handler's token ends with the request or the server.
/// </summary>
public sealed class KestrelServer : IAsyncDisposable
{
    private static readonly byte[] Filler = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("""{"metric":{"le":"0.1"},"value":[1700000000,"1"]},""", 256)));

    private readonly WebApplication _app;

    private KestrelServer(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    public ConcurrentQueue<KestrelRequest> Requests { get; } = new();

    public static async Task<KestrelServer> StartAsync(Func<HttpContext, CancellationToken, Task> handler, X509Certificate2? certificate = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, listen =>
        {
            if (certificate is not null)
            {
                listen.UseHttps(certificate);
            }
        }));
        var app = builder.Build();
        var server = new KestrelServer(app);
        var stopping = app.Lifetime.ApplicationStopping;
        app.Run(async context =>
        {
            server.Requests.Enqueue(new KestrelRequest(
                context.Request.Path + context.Request.QueryString, context.Request.Headers.Authorization.FirstOrDefault()));
            using var done = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
            try
            {
                await handler(context, done.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException && done.IsCancellationRequested)
            {
                // The client gave up or the server stops: what a misbehaving server waits for.
            }
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        server.BaseAddress = new Uri(address.EndsWith('/') ? address : address + "/");
        return server;
    }

    /// <summary>Reads the request and never sends a byte back.</summary>
    public static Task NeverAnswers(CancellationToken cancellationToken) => Task.Delay(Timeout.Infinite, cancellationToken);

    /// <summary>A Prometheus answer that starts well and never ends: vector samples as fast as the client takes them.</summary>
    public static async Task StreamsForever(HttpContext context, CancellationToken cancellationToken, long? declaredLength = null)
    {
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = declaredLength;
        await context.Response.Body.WriteAsync("""{"status":"success","data":{"resultType":"vector","result":["""u8.ToArray(), cancellationToken);
        while (true)
        {
            // Kestrel drops writes to an aborted connection silently, so the token is what ends the loop.
            cancellationToken.ThrowIfCancellationRequested();
            await context.Response.Body.WriteAsync(Filler, cancellationToken);
        }
    }

    /// <summary>Sends 200 and its headers at once, then one byte every 100 ms, forever.</summary>
    public static async Task Trickles(HttpContext context, CancellationToken cancellationToken)
    {
        context.Response.ContentType = "application/json";
        await context.Response.StartAsync(cancellationToken);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await context.Response.Body.WriteAsync(" "u8.ToArray(), cancellationToken);
            await context.Response.Body.FlushAsync(cancellationToken);
            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }
    }

    /// <summary>Answers <paramref name="status"/> with <c>Location: <paramref name="location"/></c>.</summary>
    public static Task Redirects(HttpContext context, int status, string location)
    {
        context.Response.StatusCode = status;
        context.Response.Headers.Location = location;
        return Task.CompletedTask;
    }

    /// <summary>A one-sample Prometheus vector answer.</summary>
    public static Task Vector(HttpContext context, string value, CancellationToken cancellationToken)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(
            $$$"""{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1700000000.0,"{{{value}}}"]}]}}""", cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await _app.StopAsync(stop.Token);
        await _app.DisposeAsync();
    }
}
