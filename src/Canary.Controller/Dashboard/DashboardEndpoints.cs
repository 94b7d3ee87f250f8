using System.Text.Json;
using System.Text.Json.Serialization;
using Canary.Api.V1Beta1;
using Canary.Kubernetes.Errors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Canary.Controller.Dashboard;

/// <summary>
/// The web dashboard on its own port: static pages embedded in the controller (no file system, no CDN), a JSON API read
/// from the informer caches, Server-Sent Events pushed on cache changes, and with <c>--dashboard-controls</c> the buttons.
/// </summary>
public static class DashboardEndpoints
{
    /// <summary>The header a control request must carry: a cross-site form cannot set it, and a script must pass CORS first.</summary>
    public const string ControlHeader = "X-Canary-Dashboard";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>Serves the dashboard on connections to <paramref name="port"/>.</summary>
    public static void UseDashboard(this IApplicationBuilder app, int port, bool controls, TimeSpan keepAlive)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapWhen(context => context.Connection.LocalPort == port, dashboard =>
        {
            dashboard.Use(async (context, next) =>
            {
                // Same-origin only; no inline scripts or styles.
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'";
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "no-referrer";
                await next(context).ConfigureAwait(false);
            });
            dashboard.UseRouting();
            dashboard.UseEndpoints(endpoints => Map(endpoints, controls, keepAlive));
        });
    }

    private static void Map(IEndpointRouteBuilder endpoints, bool controls, TimeSpan keepAlive)
    {
        endpoints.MapGet("/", () => DashboardAssets.Page());
        endpoints.MapGet("/canaries/{ns}/{name}", (string ns, string name) => DashboardAssets.Page());
        endpoints.MapGet("/assets/{file}", (string file) => DashboardAssets.Asset(file));
        endpoints.MapGet("/api/canaries", (string? @namespace, DashboardReader reader) => Results.Json(reader.Overview(@namespace), Json));
        endpoints.MapGet("/api/canaries/{ns}/{name}", (string ns, string name, DashboardReader reader) =>
            reader.Canary(ns, name) is { } page ? Results.Json(page, Json) : Results.Json(new { error = $"canary {ns}/{name} not found" }, Json, statusCode: 404));
        endpoints.MapGet("/api/stream", (HttpContext context, DashboardUpdates updates) => StreamAsync(context, updates, keepAlive));
        endpoints.MapPost("/api/canaries/{ns}/{name}/requests", async (string ns, string name, DashboardControlRequest ask, HttpContext context, CancellationToken cancellationToken) =>
        {
            if (!controls)
            {
                return Results.Json(new { error = "the dashboard is read-only: start the controller with --dashboard-controls to enable its buttons" }, Json, statusCode: 403);
            }

            if (!context.Request.Headers.ContainsKey(ControlHeader))
            {
                return Results.Json(new { error = $"missing the {ControlHeader} header" }, Json, statusCode: 403);
            }

            try
            {
                var (created, problem) = await context.RequestServices.GetRequiredService<DashboardControls>().AskAsync(ns, name, ask, cancellationToken).ConfigureAwait(false);
                return created is null
                    ? Results.Json(new { error = problem }, Json, statusCode: problem?.StartsWith("canary ", StringComparison.Ordinal) == true ? 404 : 400)
                    : Results.Json(new { request = created.Metadata.Name }, Json, statusCode: 202);
            }
            catch (Exception e) when (KubeErrors.StatusOf(e) is { } status)
            {
                return Results.Json(new { error = $"the API server answered {(int)status} {KubeErrors.ReasonOf(e)}" }, Json, statusCode: 502);
            }
        });
    }

    // One hello, then one event per changed Canary, and a comment now and then so proxies keep the stream open.
    private static async Task StreamAsync(HttpContext context, DashboardUpdates updates, TimeSpan keepAlive)
    {
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        var cancellationToken = context.RequestAborted;
        var reader = updates.Subscribe();
        try
        {
            await response.WriteAsync("event: hello\ndata: {}\n\n", cancellationToken).ConfigureAwait(false);
            await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
            while (!cancellationToken.IsCancellationRequested)
            {
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                wait.CancelAfter(keepAlive);
                try
                {
                    await reader.WaitToReadAsync(wait.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    await response.WriteAsync(": keep-alive\n\n", cancellationToken).ConfigureAwait(false);
                    await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
                    continue;
                }

                while (reader.TryRead(out var change))
                {
                    await response.WriteAsync($"event: canary\ndata: {JsonSerializer.Serialize(change, Json)}\n\n", cancellationToken).ConfigureAwait(false);
                }

                await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The viewer left.
        }
        finally
        {
            updates.Unsubscribe(reader);
        }
    }
}
