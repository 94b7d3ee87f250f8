using System.Net.Http.Headers;

namespace Canary.Webhooks.Http;

/// <summary>A fully read HTTP response, so retries never juggle undisposed response objects.</summary>
internal sealed record HttpAnswer(int StatusCode, string? ReasonPhrase, string Body, TimeSpan? RetryAfter)
{
    public bool IsSuccess => StatusCode is >= 200 and <= 299;

    /// <summary>
    /// Sends <paramref name="request"/> and reads at most <paramref name="maxBodyLength"/> characters of the body; the rest
    /// is never read by us (on dispose SocketsHttpHandler drains at most 1 MiB for 2 s in the background, then closes the
    /// connection), so an answer that streams forever costs the bound, not the caller's time.
    /// Call it inside the attempt's timeout: <paramref name="cancellationToken"/> also ends a body that trickles in.
    /// </summary>
    public static async Task<HttpAnswer> SendAsync(
        HttpClient client, HttpRequestMessage request, int maxBodyLength, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        var body = await ReadPrefixAsync(response.Content, maxBodyLength, cancellationToken);
        return new HttpAnswer((int)response.StatusCode, response.ReasonPhrase, body, RetryAfterOf(response.Headers, timeProvider));
    }

    private static async Task<string> ReadPrefixAsync(HttpContent content, int maxLength, CancellationToken cancellationToken)
    {
        if (maxLength <= 0)
        {
            return string.Empty;
        }

        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        using var reader = new StreamReader(stream);
        var buffer = new char[maxLength];
        var read = await reader.ReadBlockAsync(buffer.AsMemory(), cancellationToken);
        return new string(buffer, 0, read).Trim();
    }

    private static TimeSpan? RetryAfterOf(HttpResponseHeaders headers, TimeProvider timeProvider) => headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - timeProvider.GetUtcNow() is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
        _ => null,
    };
}
