using System.Text;
using Microsoft.AspNetCore.Http;

namespace Canary.MetricTemplates.Tests.Fixtures;

/// <summary>Prometheus-shaped answers for a <see cref="Canary.Testing.Http.LoopbackServer"/>: a good one and one that never ends.</summary>
public static class PrometheusAnswers
{
    private static readonly byte[] Filler = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("""{"metric":{"le":"0.1"},"value":[1700000000,"1"]},""", 256)));

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

    /// <summary>A one-sample Prometheus vector answer.</summary>
    public static Task Vector(HttpContext context, string value, CancellationToken cancellationToken)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(
            $$$"""{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1700000000.0,"{{{value}}}"]}]}}""", cancellationToken);
    }
}
