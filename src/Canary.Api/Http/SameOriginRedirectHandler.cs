using System.Net;

namespace Canary.Api.Http;

/// <summary>
/// Follows redirects only within the request's origin (scheme, host and port) or to a host of
/// <see cref="OutboundHttpOptions.AllowedRedirectHosts"/>, at most <see cref="OutboundHttpOptions.MaxRedirects"/> times;
/// any other redirect fails with <see cref="RedirectRefusedException"/>. Put it over a primary handler with
/// <c>AllowAutoRedirect = false</c>: SocketsHttpHandler would otherwise follow a receiver's redirect to any host.
/// 301/302 turn a POST into a GET and 303 anything but HEAD into a GET, without body (as browsers and .NET do);
/// 307/308 repeat the method and the body.
/// </summary>
public sealed class SameOriginRedirectHandler : DelegatingHandler
{
    private const string AnyHost = "*";

    private readonly HashSet<string> _allowedHosts;
    private readonly int _maxRedirects;

    /// <summary>A handler applying <paramref name="options"/>; the pipeline builder sets the inner handler.</summary>
    public SameOriginRedirectHandler(OutboundHttpOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _allowedHosts = new HashSet<string>(options.AllowedRedirectHosts.Select(h => h.Trim()), StringComparer.OrdinalIgnoreCase);
        _maxRedirects = Math.Max(0, options.MaxRedirects);
    }

    /// <summary>A handler applying <paramref name="options"/> over <paramref name="innerHandler"/>.</summary>
    public SameOriginRedirectHandler(OutboundHttpOptions options, HttpMessageHandler innerHandler)
        : this(options) => InnerHandler = innerHandler;

    /// <summary>
    /// The primary handler to put under this one: automatic redirects off, TLS verification on, no connection limit per
    /// server (a receiver that never answers holds only its own connections, never a slot another call waits for).
    /// </summary>
    public static SocketsHttpHandler CreatePrimaryHandler() => new() { AllowAutoRedirect = false };

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Content is not null)
        {
            // A 307/308 sends the body again, and a content backed by a stream can be read only once.
            await request.Content.LoadIntoBufferAsync(cancellationToken);
        }

        for (var redirects = 0; ; redirects++)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (!IsRedirect(response.StatusCode) || response.Headers.Location is not { } location || request.RequestUri is not { } from)
            {
                return response;
            }

            var status = response.StatusCode;
            var target = location.IsAbsoluteUri ? location : new Uri(from, location);
            response.Dispose();
            if (Refusal(from, target, redirects) is { } reason)
            {
                // Only the origin is named: the path and query of a webhook URL are often its secret (Slack, Teams).
                throw new RedirectRefusedException($"redirect to {target.GetLeftPart(UriPartial.Authority)}/ refused: {reason}", status);
            }

            if (!IsSameOrigin(from, target))
            {
                // Credentials were given for the origin the author wrote, not for where it points to.
                request.Headers.Authorization = null;
            }

            if (ChangesToGet(status, request.Method))
            {
                request.Method = HttpMethod.Get;
                request.Content?.Dispose();
                request.Content = null;
            }

            request.RequestUri = target;
        }
    }

    private string? Refusal(Uri from, Uri target, int redirectsSoFar)
    {
        if (redirectsSoFar >= _maxRedirects)
        {
            return _maxRedirects == 0 ? "redirects are not followed" : $"more than {_maxRedirects} redirects";
        }

        if (target.Scheme != Uri.UriSchemeHttp && target.Scheme != Uri.UriSchemeHttps)
        {
            return "only http(s) redirects are followed";
        }

        if (IsSameOrigin(from, target))
        {
            return null;
        }

        if (from.Scheme == Uri.UriSchemeHttps && target.Scheme == Uri.UriSchemeHttp)
        {
            return "https is never redirected to http";
        }

        return _allowedHosts.Contains(AnyHost) || _allowedHosts.Contains(target.Host) || _allowedHosts.Contains($"{target.Host}:{target.Port}")
            ? null
            : "only same-origin redirects are followed";
    }

    private static bool IsSameOrigin(Uri a, Uri b) =>
        string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(a.Host, b.Host, StringComparison.OrdinalIgnoreCase)
        && a.Port == b.Port;

    private static bool IsRedirect(HttpStatusCode status) => status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found
        or HttpStatusCode.SeeOther or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;

    private static bool ChangesToGet(HttpStatusCode status, HttpMethod method) => status switch
    {
        HttpStatusCode.MovedPermanently or HttpStatusCode.Found => method == HttpMethod.Post,
        HttpStatusCode.SeeOther => method != HttpMethod.Get && method != HttpMethod.Head,
        _ => false,
    };
}

/// <summary>A redirect that <see cref="SameOriginRedirectHandler"/> did not follow; retrying would meet it again.</summary>
public sealed class RedirectRefusedException : HttpRequestException
{
    public RedirectRefusedException()
    {
    }

    public RedirectRefusedException(string message)
        : base(message)
    {
    }

    public RedirectRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Refused <paramref name="status"/> redirect, for <paramref name="message"/>.</summary>
    public RedirectRefusedException(string message, HttpStatusCode status)
        : base(message, null, status)
    {
    }
}
