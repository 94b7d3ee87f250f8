namespace Canary.LoadTester.Hey;

/// <summary>
/// One hey run, as hey's flags describe it (<see cref="HeyCommand"/> parses them). Defaults are hey's:
/// 200 requests, 50 workers, no rate limit, 20 s per-request timeout, <c>GET</c>, <c>Content-Type: text/html</c>,
/// <c>User-Agent: hey/0.0.1</c>, HTTP/1.1, gzip accepted, keep-alive, up to 10 redirects followed, TLS not verified.
/// </summary>
public sealed record HeyOptions
{
    /// <summary>hey's User-Agent, appended to any other.</summary>
    public const string HeyUserAgent = "hey/0.0.1";

    /// <summary>The URL every request goes to (http or https).</summary>
    public required Uri Url { get; init; }

    /// <summary><c>-m</c>: the method, upper-cased.</summary>
    public string Method { get; init; } = "GET";

    /// <summary><c>-n</c>: requests in all (ignored with <see cref="Duration"/>); each worker sends <c>n / c</c>, so the remainder is not sent, as in hey.</summary>
    public int Requests { get; init; } = 200;

    /// <summary><c>-c</c>: concurrent workers; each sends one request at a time.</summary>
    public int Workers { get; init; } = 50;

    /// <summary><c>-q</c>: rate limit per worker in requests per second; 0 = none.</summary>
    public double RatePerWorker { get; init; }

    /// <summary><c>-z</c>: send until this much time has passed (then <see cref="Requests"/> is ignored); null = by count.</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary><c>-t</c>: timeout of one request (headers and body); null = none (<c>-t 0</c>).</summary>
    public TimeSpan? Timeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Request headers in the order hey sets them (<c>-T</c>, <c>-H</c>, <c>-A</c>, User-Agent, basic auth); names unique, case-insensitively.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    /// <summary><c>-d</c>: the request body (sent with every request; empty = none).</summary>
    public ReadOnlyMemory<byte> Body { get; init; }

    /// <summary><c>-host</c>: the Host header; null = the URL's authority.</summary>
    public string? Host { get; init; }

    /// <summary><c>-x</c>: an HTTP proxy; null = none (hey ignores the proxy environment variables).</summary>
    public Uri? Proxy { get; init; }

    /// <summary><c>-h2</c>: offer HTTP/2 (negotiated over TLS; plain http stays HTTP/1.1, as in hey).</summary>
    public bool Http2 { get; init; }

    /// <summary><c>-disable-compression</c>: do not ask for gzip.</summary>
    public bool DisableCompression { get; init; }

    /// <summary><c>-disable-keepalive</c>: a new connection per request (<c>Connection: close</c>).</summary>
    public bool DisableKeepAlive { get; init; }

    /// <summary><c>-disable-redirects</c>: answer with the redirect itself instead of following it.</summary>
    public bool DisableRedirects { get; init; }

    /// <summary>The per-worker interval between requests (hey: <c>1e6/q</c> microseconds, truncated); null = no rate limit.</summary>
    public TimeSpan? Interval =>
        RatePerWorker > 0 && Math.Floor(1e6 / RatePerWorker) >= 1
            ? TimeSpan.FromMicroseconds(Math.Floor(1e6 / RatePerWorker))
            : null;

    /// <summary>Requests each worker sends at most: <c>n / c</c>, or unbounded with a duration.</summary>
    public long RequestsPerWorker => Duration is null ? Requests / Workers : long.MaxValue;
}
