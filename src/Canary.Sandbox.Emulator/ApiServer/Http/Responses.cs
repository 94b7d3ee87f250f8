using System.Text.Json;
using System.Text.Json.Nodes;
using Canary.Sandbox.ApiServer.Store;
using Microsoft.AspNetCore.Http;

namespace Canary.Sandbox.ApiServer.Http;

/// <summary>Writes JSON answers with the exact Content-Type kubectl expects (application/json, no charset).</summary>
internal static class Responses
{
    public const string Json = "application/json";

    public static Task WriteAsync(HttpContext context, int statusCode, JsonNode body) =>
        WriteAsync(context, statusCode, JsonSerializer.SerializeToUtf8Bytes(body, JsonDefaults.Options));

    public static async Task WriteAsync(HttpContext context, int statusCode, byte[] body)
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = Json;
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }

    public static Task WriteErrorAsync(HttpContext context, ApiException error)
    {
        if (error.RetryAfterSeconds is { } retry)
        {
            context.Response.Headers.RetryAfter = retry.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return WriteAsync(context, error.Code, error.ToStatus());
    }
}
