using System.Collections.Concurrent;
using Canary.Testing.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Canary.E2E.Infrastructure;

/// <summary>
/// What a credential protects, on loopback: <c>/prometheus/...</c> is the real Prometheus behind an authenticating proxy
/// (401 unless the Authorization header is one of the accepted ones, as Prometheus' own basic-auth web config or a
/// bearer-token gateway answers), and <c>/alerts/...</c> is a chat webhook whose URL path is the secret (a Slack
/// incoming-webhook URL). Records what it was sent, so a test can show the credentials were really used.
/// </summary>
public sealed class CredentialGate : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _forward = new();
    private readonly ConcurrentQueue<string> _authorizations = new();
    private readonly ConcurrentQueue<string> _alertPaths = new();

    private CredentialGate(WebApplication app, Uri baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    /// <summary>http://127.0.0.1:PORT/</summary>
    public Uri BaseUrl { get; }

    /// <summary>The address to give a MetricTemplate for the gated Prometheus.</summary>
    public string PrometheusAddress => new Uri(BaseUrl, "prometheus").ToString();

    /// <summary>Every Authorization header value a Prometheus request carried (accepted or not).</summary>
    public IReadOnlyCollection<string> Authorizations => [.. _authorizations];

    /// <summary>The path of every alert posted.</summary>
    public IReadOnlyCollection<string> AlertPaths => [.. _alertPaths];

    public static async Task<CredentialGate> StartAsync(Uri prometheus, IReadOnlyCollection<string> acceptedAuthorizations, CancellationToken cancellationToken = default)
    {
        CredentialGate? gate = null;
        var (app, baseUrl) = await LoopbackHost.StartAsync(
            app =>
            {
                app.Map("/prometheus/{**rest}", (string rest, HttpContext context) => gate!.ForwardAsync(prometheus, rest, acceptedAuthorizations, context));
                app.MapPost("/alerts/{**rest}", (string rest) =>
                {
                    gate!._alertPaths.Enqueue("/alerts/" + rest);
                    return Results.Text("ok");
                });
            },
            cancellationToken: cancellationToken);
        gate = new CredentialGate(app, baseUrl);
        return gate;
    }

    private async Task ForwardAsync(Uri prometheus, string rest, IReadOnlyCollection<string> accepted, HttpContext context)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        _authorizations.Enqueue(authorization);
        if (!accepted.Contains(authorization))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            await context.Response.WriteAsync("Unauthorized\n", context.RequestAborted);
            return;
        }

        await HttpForwarder.ForwardAsync(_forward, prometheus, rest, context);
    }

    public async ValueTask DisposeAsync()
    {
        await LoopbackHost.StopAsync(_app);
        _forward.Dispose();
    }
}
