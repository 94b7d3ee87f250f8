using Microsoft.AspNetCore.Http;

namespace Canary.E2E.Infrastructure;

/// <summary>Forwards one request of a loopback proxy to its upstream and copies the answer back.</summary>
public static class HttpForwarder
{
    /// <summary>Sends <paramref name="context"/>'s request to <paramref name="upstream"/> + <paramref name="path"/> (query kept).</summary>
    public static async Task ForwardAsync(HttpClient client, Uri upstream, string path, HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(context);
        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), new Uri(upstream, path + context.Request.QueryString));
        if (context.Request.ContentLength > 0 || context.Request.HasFormContentType)
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body, context.RequestAborted);
            request.Content = new ByteArrayContent(body.ToArray());
            request.Content.Headers.TryAddWithoutValidation("Content-Type", context.Request.ContentType);
        }

        using var answer = await client.SendAsync(request, context.RequestAborted);
        context.Response.StatusCode = (int)answer.StatusCode;
        context.Response.ContentType = answer.Content.Headers.ContentType?.ToString();
        await answer.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
    }
}
