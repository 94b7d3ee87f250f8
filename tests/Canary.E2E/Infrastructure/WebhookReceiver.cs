using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Canary.Webhooks.Hooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Canary.E2E.Infrastructure;

/// <summary>One call received by a <see cref="WebhookReceiver"/>: which hook, the decoded Flagger payload, what was answered.</summary>
public sealed record WebhookCall(string Namespace, string Hook, WebhookPayload Payload, int AnsweredStatus, DateTimeOffset At)
{
    /// <summary>The event message of an event-hook payload, or null.</summary>
    public string? EventMessage => Payload.Metadata?.GetValueOrDefault(WebhookPayloadFactory.EventMessageKey);
}

/// <summary>
/// Real HTTP webhook endpoints (Kestrel on 127.0.0.1, free port) for the controller to call: <c>POST /{namespace}/{hook}</c>.
/// Every call is recorded; the answer of each hook is set by the test (<see cref="Answer"/>, default 200), so a gate can be
/// held with 403 and released with 200. Hooks are keyed by namespace, so tests of one environment never see each other's calls.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<(string Namespace, string Hook), (int Status, string Body)> _answers = new();
    private readonly ConcurrentQueue<WebhookCall> _calls = new();

    private WebhookReceiver(WebApplication app, Uri baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    /// <summary>http://127.0.0.1:PORT/</summary>
    public Uri BaseUrl { get; }

    public static async Task<WebhookReceiver> StartAsync(CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Listen(IPAddress.Loopback, 0);
        });
        var app = builder.Build();
        WebhookReceiver? receiver = null;
        app.MapPost("/{ns}/{hook}", (string ns, string hook, HttpContext context) => receiver!.HandleAsync(ns, hook, context));
        await app.StartAsync(cancellationToken);
        var bound = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        receiver = new WebhookReceiver(app, new Uri($"http://127.0.0.1:{bound.Port}/"));
        return receiver;
    }

    /// <summary>The URL to put in a Canary webhook for <paramref name="hook"/> of the test in <paramref name="ns"/>.</summary>
    public string Url(string ns, string hook) => new Uri(BaseUrl, $"{Uri.EscapeDataString(ns)}/{Uri.EscapeDataString(hook)}").ToString();

    /// <summary>What <paramref name="hook"/> answers from now on (status ≤ 202 passes a gate; the body is the error text otherwise).</summary>
    public void Answer(string ns, string hook, HttpStatusCode status, string body = "") => _answers[(ns, hook)] = ((int)status, body);

    /// <summary>Calls received by one hook, oldest first.</summary>
    public IReadOnlyList<WebhookCall> Calls(string ns, string hook) => [.. _calls.Where(c => c.Namespace == ns && c.Hook == hook)];

    /// <summary>All calls of a namespace, oldest first.</summary>
    public IReadOnlyList<WebhookCall> Calls(string ns) => [.. _calls.Where(c => c.Namespace == ns)];

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(string ns, string hook, HttpContext context)
    {
        var payload = await JsonSerializer.DeserializeAsync<WebhookPayload>(context.Request.Body, cancellationToken: context.RequestAborted)
            ?? throw new InvalidOperationException($"empty webhook body for {ns}/{hook}");
        var (status, body) = _answers.GetValueOrDefault((ns, hook), (200, string.Empty));
        _calls.Enqueue(new WebhookCall(ns, hook, payload, status, DateTimeOffset.UtcNow));
        context.Response.StatusCode = status;
        await context.Response.WriteAsync(body, context.RequestAborted);
    }
}
