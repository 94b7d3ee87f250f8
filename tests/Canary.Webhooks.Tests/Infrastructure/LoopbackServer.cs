using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Canary.Webhooks.Tests.Infrastructure;

/// <summary>A request as the server saw it.</summary>
public sealed record RecordedRequest(string Method, string Path, string Host, string Body, IReadOnlyDictionary<string, string> Headers);

/// <summary>What the server answers: status, body and an optional delay before answering.</summary>
public sealed record ServerReply(int Status, string Body = "", TimeSpan Delay = default)
{
    public static ServerReply Ok { get; } = new(200, "ok");
}

/// <summary>Kestrel on 127.0.0.1 and a free port, answering with a function of (request, 1-based request number).</summary>
public sealed class LoopbackServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private int _count;

    private LoopbackServer(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    public Uri Url(string path) => new(BaseAddress, path);

    public static Task<LoopbackServer> StartAsync(ServerReply reply, X509Certificate2? certificate = null) =>
        StartAsync((_, _) => reply, certificate);

    public static Task<LoopbackServer> StartAsync(Func<RecordedRequest, int, ServerReply> reply, X509Certificate2? certificate = null) =>
        StartAsync((context, request, n, ct) => AnswerAsync(context, reply(request, n), ct), certificate);

    /// <summary>
    /// Serves <paramref name="handler"/> (context, recorded request, 1-based number, token ending with the request or the
    /// server), for receivers that misbehave: never answer, stream forever, redirect. The request is recorded first.
    /// </summary>
    public static async Task<LoopbackServer> StartAsync(
        Func<HttpContext, RecordedRequest, int, CancellationToken, Task> handler, X509Certificate2? certificate = null)
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
        var server = new LoopbackServer(app);
        app.Run(server.HandleAsync(handler, app.Lifetime.ApplicationStopping));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        server.BaseAddress = new Uri(address.EndsWith('/') ? address : address + "/");
        return server;
    }

    private RequestDelegate HandleAsync(Func<HttpContext, RecordedRequest, int, CancellationToken, Task> handler, CancellationToken stopping) => async context =>
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var request = new RecordedRequest(context.Request.Method, context.Request.Path.Value ?? "", context.Request.Host.Value ?? "", body, headers);
        _requests.Enqueue(request);
        using var done = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        try
        {
            await handler(context, request, Interlocked.Increment(ref _count), done.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException && done.IsCancellationRequested)
        {
            // The client gave up or the server stops: what a misbehaving receiver waits for.
        }
    };

    private static async Task AnswerAsync(HttpContext context, ServerReply answer, CancellationToken cancellationToken)
    {
        if (answer.Delay > TimeSpan.Zero)
        {
            await Task.Delay(answer.Delay, cancellationToken);
        }

        context.Response.StatusCode = answer.Status;
        await context.Response.WriteAsync(answer.Body, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await _app.StopAsync(stop.Token);
        await _app.DisposeAsync();
    }
}
