using System.Globalization;
using System.Text;
using Canary.Controller.Informers;
using Canary.Controller.LeaderElection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Canary.Controller.Health;

/// <summary>
/// /healthz (the process serves requests) and /readyz (every cache has synced; leadership is reported but does not
/// gate readiness, so followers stay in the Service and take over warm).
/// </summary>
public static class HealthEndpoints
{
    /// <summary>Serves both endpoints on connections to <paramref name="port"/>.</summary>
    public static IApplicationBuilder UseHealthEndpoints(this IApplicationBuilder app, int port, ControllerCaches caches, ILeadership leadership)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.Use(async (context, next) =>
        {
            var path = context.Request.Path;
            if (context.Connection.LocalPort != port || (path != "/healthz" && path != "/readyz"))
            {
                await next(context).ConfigureAwait(false);
                return;
            }

            var (status, body) = path == "/healthz" ? (StatusCodes.Status200OK, "ok\n") : Readiness(caches, leadership);
            context.Response.StatusCode = status;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
        });
    }

    /// <summary>The readiness verdict and its explanation.</summary>
    public static (int Status, string Body) Readiness(ControllerCaches caches, ILeadership leadership)
    {
        ArgumentNullException.ThrowIfNull(caches);
        ArgumentNullException.ThrowIfNull(leadership);
        var text = new StringBuilder();
        foreach (var informer in caches.All)
        {
            var state = !informer.HasSynced ? "syncing" : informer.IsServed ? "synced" : "not served";
            text.Append(CultureInfo.InvariantCulture, $"[{(informer.HasSynced ? '+' : '-')}] cache {informer.Kind}: {state}\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"leader: {(leadership.IsLeader ? "yes" : "no")} ({leadership.Identity})\n");
        return (caches.HasSynced ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable, text.ToString());
    }
}
