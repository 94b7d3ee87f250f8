using Microsoft.AspNetCore.Http;

namespace Canary.Testing.Http;

/// <summary>Hostile receivers for <see cref="LoopbackServer"/>; each runs until the client gives up or the server stops.</summary>
public static class Misbehaving
{
    private static readonly byte[] Chunk = Enumerable.Repeat((byte)'x', 16 * 1024).ToArray();

    /// <summary>Reads the request and never sends a byte back.</summary>
    public static Task NeverAnswers(CancellationToken cancellationToken) => Task.Delay(Timeout.Infinite, cancellationToken);

    /// <summary>Sends <paramref name="status"/> and then 'x' as fast as the client takes it, forever.</summary>
    public static async Task StreamsForever(HttpContext context, int status, CancellationToken cancellationToken)
    {
        context.Response.StatusCode = status;
        while (true)
        {
            // Kestrel drops writes to an aborted connection silently, so the token is what ends the loop.
            cancellationToken.ThrowIfCancellationRequested();
            await context.Response.Body.WriteAsync(Chunk, cancellationToken);
        }
    }

    /// <summary>Sends 200 and its headers at once, then one byte every 100 ms, forever.</summary>
    public static async Task Trickles(HttpContext context, CancellationToken cancellationToken)
    {
        context.Response.StatusCode = 200;
        await context.Response.StartAsync(cancellationToken);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await context.Response.Body.WriteAsync(Chunk.AsMemory(0, 1), cancellationToken);
            await context.Response.Body.FlushAsync(cancellationToken);
            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }
    }

    /// <summary>Answers <paramref name="status"/> with <c>Location: <paramref name="location"/></c>.</summary>
    public static Task Redirects(HttpContext context, int status, string location)
    {
        context.Response.StatusCode = status;
        context.Response.Headers.Location = location;
        return Task.CompletedTask;
    }
}
