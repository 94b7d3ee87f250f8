using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Canary.Testing.Http;

/// <summary>A request as the server saw it.</summary>
public sealed record RecordedRequest(string Method, string Path, string Host, string Body, IReadOnlyDictionary<string, string> Headers, string Query = "")
{
    /// <summary>Path and query string, as the client asked for them.</summary>
    public string PathAndQuery => Path + Query;

    /// <summary>The Authorization header, or null when none was sent.</summary>
    public string? Authorization => Headers.GetValueOrDefault("Authorization");
}

/// <summary>What the server answers: status, body and an optional delay before answering.</summary>
public sealed record ServerReply(int Status, string Body = "", TimeSpan Delay = default)
{
    public static ServerReply Ok { get; } = new(200, "ok");
}

/// <summary>
/// Kestrel on 127.0.0.1 and a free port, optionally over HTTPS, answering with a function of (request, 1-based request
/// number) or a handler that may misbehave (<see cref="Misbehaving"/>); requests are served concurrently and recorded.
/// </summary>
public sealed class LoopbackServer : IAsyncDisposable
{
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private WebApplication? _app;
    private int _count;

    private LoopbackServer()
    {
    }

    public Uri BaseAddress { get; private set; } = null!;

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    public Uri Url(string path) => new(BaseAddress, path);

    public static Task<LoopbackServer> StartAsync(ServerReply reply, X509Certificate2? certificate = null) =>
        StartAsync((_, _) => reply, certificate);

    public static Task<LoopbackServer> StartAsync(Func<RecordedRequest, int, ServerReply> reply, X509Certificate2? certificate = null) =>
        StartAsync((context, request, n, ct) => AnswerAsync(context, reply(request, n), ct), certificate);

    /// <summary>Serves <paramref name="handler"/> (context, token ending with the request or the server).</summary>
    public static Task<LoopbackServer> StartAsync(Func<HttpContext, CancellationToken, Task> handler, X509Certificate2? certificate = null) =>
        StartAsync((context, _, _, ct) => handler(context, ct), certificate);

    /// <summary>
    /// Serves <paramref name="handler"/> (context, recorded request, 1-based number, token ending with the request or the
    /// server), for receivers that misbehave: never answer, stream forever, redirect. The request is recorded first.
    /// </summary>
    public static async Task<LoopbackServer> StartAsync(
        Func<HttpContext, RecordedRequest, int, CancellationToken, Task> handler, X509Certificate2? certificate = null)
    {
        var server = new LoopbackServer();
        (server._app, server.BaseAddress) = await LoopbackHost.StartAsync(
            app => app.Run(server.HandleAsync(handler, app.Lifetime.ApplicationStopping)), certificate);
        return server;
    }

    private RequestDelegate HandleAsync(Func<HttpContext, RecordedRequest, int, CancellationToken, Task> handler, CancellationToken stopping) => async context =>
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var request = new RecordedRequest(
            context.Request.Method, context.Request.Path.Value ?? "", context.Request.Host.Value ?? "", body, headers, context.Request.QueryString.Value ?? "");
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
        if (_app is not null)
        {
            await LoopbackHost.StopAsync(_app);
        }
    }
}
