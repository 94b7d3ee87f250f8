using System.Text.Json;
using Canary.LoadTester.Commands;
using Canary.LoadTester.Hosting;
using Canary.LoadTester.Runs;
using Canary.LoadTester.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Canary.LoadTester.Webhooks;

/// <summary>
/// Flagger's loadtester API, path for path (any method, exact paths as Go's ServeMux):
/// <list type="bullet">
/// <item><c>/healthz</c> 200 <c>OK</c>; <c>/gate/approve</c> 200 <c>OK</c>; <c>/gate/halt</c> 403 <c>Forbidden</c>.</item>
/// <item><c>/gate/check</c> 200 <c>Approved</c> when the gate <c>name.namespace</c> is open, else 403 <c>Forbidden</c>;
/// <c>/gate/open</c>, <c>/gate/close</c> 202; <c>/rollback/check</c>, <c>/rollback/open</c>, <c>/rollback/close</c> the same
/// on <c>rollback.name.namespace</c>. Gates start closed.</item>
/// <item>Every other path: a task (<see cref="TaskResolver"/>): 202 for a background run (started, or skipped because it
/// is running), 200 for a finished blocking run (hey's summary; a program's output with <c>returnCmdOutput</c>), 500 with
/// the error when it failed, 400 when refused ("metadata not found in payload", "unknown task type X", a command not
/// allowed, shell syntax, hey flags).</item>
/// <item>A body that is not a webhook payload: 400; a namespace outside <c>--namespace-regexp</c>: 403 <c>Forbidden</c>.</item>
/// </list>
/// </summary>
public sealed partial class LoadTesterEndpoints(
    GateStore gates, TaskRunner runner, LoadTesterOptions options, LoadTesterMetrics metrics, ILogger<LoadTesterEndpoints> logger)
{
    /// <summary>Answers one request (the app's terminal handler).</summary>
    public async Task HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        switch (context.Request.Path.Value)
        {
            case "/healthz" or "/gate/approve":
                await WriteAsync(context, StatusCodes.Status200OK, "OK");
                return;
            case "/gate/halt":
                await WriteAsync(context, StatusCodes.Status403Forbidden, "Forbidden");
                return;
            case "/gate/check":
                await CheckAsync(context, "gate", p => p.Canary);
                return;
            case "/rollback/check":
                await CheckAsync(context, "rollback", p => "rollback." + p.Canary);
                return;
            case "/gate/open":
                await SetAsync(context, "gate", p => p.Canary, open: true);
                return;
            case "/gate/close":
                await SetAsync(context, "gate", p => p.Canary, open: false);
                return;
            case "/rollback/open":
                await SetAsync(context, "rollback", p => "rollback." + p.Canary, open: true);
                return;
            case "/rollback/close":
                await SetAsync(context, "rollback", p => "rollback." + p.Canary, open: false);
                return;
            default:
                await TaskAsync(context);
                return;
        }
    }

    private async Task CheckAsync(HttpContext context, string gate, Func<CanaryWebhookPayload, string> key)
    {
        if (await ReadAuthorizedAsync(context) is not { } payload)
        {
            return;
        }

        var name = key(payload);
        var open = gates.IsOpen(name);
        metrics.GateChecks.Add(1, new("gate", gate), new("result", open ? "open" : "closed"));
        LogCheck(name, gate, open);
        await (open ? WriteAsync(context, StatusCodes.Status200OK, "Approved") : WriteAsync(context, StatusCodes.Status403Forbidden, "Forbidden"));
    }

    private async Task SetAsync(HttpContext context, string gate, Func<CanaryWebhookPayload, string> key, bool open)
    {
        if (await ReadAuthorizedAsync(context) is not { } payload)
        {
            return;
        }

        var name = key(payload);
        if (open)
        {
            gates.Open(name);
        }
        else
        {
            gates.Close(name);
        }

        LogSet(name, gate, open ? "opened" : "closed");
        context.Response.StatusCode = StatusCodes.Status202Accepted;
    }

    private async Task TaskAsync(HttpContext context)
    {
        if (await ReadAuthorizedAsync(context) is not { } payload)
        {
            return;
        }

        if (payload.Metadata is not { Count: > 0 })
        {
            metrics.RunsRefused.Add(1, new KeyValuePair<string, object?>("reason", "payload"));
            await WriteAsync(context, StatusCodes.Status400BadRequest, "metadata not found in payload");
            return;
        }

        var plan = TaskResolver.Resolve(payload, options.AllowCommands);
        switch (plan)
        {
            case RefusedPlan refused:
                metrics.RunsRefused.Add(1, new KeyValuePair<string, object?>("reason", refused.Reason));
                LogRefused(plan.Canary, refused.Message);
                await WriteAsync(context, refused.Status, refused.Message);
                return;
            case { Blocking: false }:
                runner.TryStartBackground(plan);
                context.Response.StatusCode = StatusCodes.Status202Accepted;
                return;
            default:
                var result = await runner.RunBlockingAsync(plan);
                if (!result.Ok)
                {
                    await WriteAsync(context, StatusCodes.Status500InternalServerError, plan is HeyPlan ? result.Error + "\n" + result.Output : result.Error ?? "failed");
                    return;
                }

                await WriteAsync(context, StatusCodes.Status200OK, plan is HeyPlan || plan.ReturnOutput ? result.Output : "");
                return;
        }
    }

    /// <summary>The payload, or null after answering 400 (not a payload) or 403 (namespace not served).</summary>
    private async Task<CanaryWebhookPayload?> ReadAuthorizedAsync(HttpContext context)
    {
        CanaryWebhookPayload payload;
        try
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body, context.RequestAborted);
            payload = CanaryWebhookPayload.Parse(body.GetBuffer().AsSpan(0, (int)body.Length));
        }
        catch (JsonException e)
        {
            LogUnreadable(e.Message);
            await WriteAsync(context, StatusCodes.Status400BadRequest, "decoding the request body failed: " + e.Message);
            return null;
        }

        if (!options.Authorize(payload.Namespace))
        {
            if (context.Request.Path.Value is not ("/gate/check" or "/gate/open" or "/gate/close" or "/rollback/check" or "/rollback/open" or "/rollback/close"))
            {
                metrics.RunsRefused.Add(1, new KeyValuePair<string, object?>("reason", "namespace"));
            }

            await WriteAsync(context, StatusCodes.Status403Forbidden, "Forbidden");
            return null;
        }

        return payload;
    }

    private static Task WriteAsync(HttpContext context, int status, string body)
    {
        context.Response.StatusCode = status;
        if (body.Length == 0)
        {
            return Task.CompletedTask;
        }

        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(body, context.RequestAborted);
    }

    [LoggerMessage(2001, LogLevel.Information, "{Name} {Gate} check: approved {Open}")]
    private partial void LogCheck(string name, string gate, bool open);

    [LoggerMessage(2002, LogLevel.Information, "{Name} {Gate} {Change}")]
    private partial void LogSet(string name, string gate, string change);

    [LoggerMessage(2003, LogLevel.Warning, "{Canary} task refused: {Message}")]
    private partial void LogRefused(string canary, string message);

    [LoggerMessage(2004, LogLevel.Error, "decoding the request body failed: {Error}")]
    private partial void LogUnreadable(string error);
}
