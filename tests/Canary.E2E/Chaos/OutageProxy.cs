using Canary.E2E.Infrastructure;
using Canary.Testing.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Canary.E2E.Chaos;

/// <summary>
/// A loopback reverse proxy in front of a real server (Prometheus) that can be taken down: while <see cref="Down"/>,
/// every connection is reset before an answer, as when the server's pod is gone; back up, requests pass through again.
/// </summary>
public sealed class OutageProxy : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _forward = new();
    private int _refused;
    private volatile bool _down;

    private OutageProxy(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    /// <summary>http://127.0.0.1:PORT/ (the upstream's paths below it).</summary>
    public Uri Url { get; }

    /// <summary>True while the upstream is "down".</summary>
    public bool Down
    {
        get => _down;
        set => _down = value;
    }

    /// <summary>Requests refused while down.</summary>
    public int Refused => Volatile.Read(ref _refused);

    public static async Task<OutageProxy> StartAsync(Uri upstream, CancellationToken cancellationToken = default)
    {
        OutageProxy? proxy = null;
        var (app, url) = await LoopbackHost.StartAsync(
            app => app.Map("/{**rest}", (string? rest, HttpContext context) => proxy!.HandleAsync(upstream, rest ?? string.Empty, context)),
            cancellationToken: cancellationToken);
        proxy = new OutageProxy(app, url);
        return proxy;
    }

    private Task HandleAsync(Uri upstream, string rest, HttpContext context)
    {
        if (Down)
        {
            Interlocked.Increment(ref _refused);
            context.Abort();
            return Task.CompletedTask;
        }

        return HttpForwarder.ForwardAsync(_forward, upstream, rest, context);
    }

    public async ValueTask DisposeAsync()
    {
        await LoopbackHost.StopAsync(_app);
        _forward.Dispose();
    }
}
