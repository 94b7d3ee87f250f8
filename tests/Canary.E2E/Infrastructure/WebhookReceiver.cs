using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Canary.Testing.Http;
using Canary.Webhooks.Hooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

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
        WebhookReceiver? receiver = null;
        var (app, baseUrl) = await LoopbackHost.StartAsync(
            app => app.MapPost("/{ns}/{hook}", (string ns, string hook, HttpContext context) => receiver!.HandleAsync(ns, hook, context)),
            cancellationToken: cancellationToken);
        receiver = new WebhookReceiver(app, baseUrl);
        return receiver;
    }

    /// <summary>The URL to put in a Canary webhook for <paramref name="hook"/> of the test in <paramref name="ns"/>.</summary>
    public string Url(string ns, string hook) => new Uri(BaseUrl, $"{Uri.EscapeDataString(ns)}/{Uri.EscapeDataString(hook)}").ToString();

    /// <summary>What <paramref name="hook"/> answers from now on (status ≤ 202 passes a gate; the body is the error text otherwise).</summary>
    public void Answer(string ns, string hook, HttpStatusCode status, string body = "") => _answers[(ns, hook)] = ((int)status, body);

    /// <summary>
    /// Takes <paramref name="hook"/> down (true) or back up: while down, every call's connection is reset before an answer,
    /// as a crashed receiver behind a Service would; the call is still recorded with status 0.
    /// </summary>
    public void Down(string ns, string hook, bool down = true)
    {
        if (down)
        {
            _answers[(ns, hook)] = (0, string.Empty);
        }
        else
        {
            _answers.TryRemove((ns, hook), out _);
        }
    }

    /// <summary>Calls received by one hook, oldest first.</summary>
    public IReadOnlyList<WebhookCall> Calls(string ns, string hook) => [.. _calls.Where(c => c.Namespace == ns && c.Hook == hook)];

    /// <summary>All calls of a namespace, oldest first.</summary>
    public IReadOnlyList<WebhookCall> Calls(string ns) => [.. _calls.Where(c => c.Namespace == ns)];

    public async ValueTask DisposeAsync() => await LoopbackHost.StopAsync(_app, TimeSpan.FromSeconds(5));

    private async Task HandleAsync(string ns, string hook, HttpContext context)
    {
        var payload = await JsonSerializer.DeserializeAsync<WebhookPayload>(context.Request.Body, cancellationToken: context.RequestAborted)
            ?? throw new InvalidOperationException($"empty webhook body for {ns}/{hook}");
        var (status, body) = _answers.GetValueOrDefault((ns, hook), (200, string.Empty));
        _calls.Enqueue(new WebhookCall(ns, hook, payload, status, DateTimeOffset.UtcNow));
        if (status == 0)
        {
            context.Abort();
            return;
        }

        context.Response.StatusCode = status;
        await context.Response.WriteAsync(body, context.RequestAborted);
    }
}
