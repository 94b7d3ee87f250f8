using Canary.Api.V1Beta1;

namespace Canary.Providers.Registry;

/// <summary>
/// What each provider's objects cannot express in <c>analysis.match</c>, as refusals by path below <c>match</c>, for
/// <see cref="Api.Support.ProviderCapabilities.CheckMatches"/>: validation says so instead of the router failing, or
/// writing a wider match than asked, at run time.
/// </summary>
public static class MatchRules
{
    /// <summary>HTTPRoute: paths exact, by prefix or regex; methods exact; headers and query parameters exact or regex.</summary>
    public static IEnumerable<(string Path, string Message)> GatewayApi(IList<HttpMatchRequest> matches)
    {
        ArgumentNullException.ThrowIfNull(matches);
        for (var i = 0; i < matches.Count; i++)
        {
            var match = matches[i];
            if (match?.Uri is { Suffix.Length: > 0 })
            {
                yield return ($"[{i}].uri.suffix", "an HTTPRoute matches a path exactly, by prefix or by regex, not by suffix");
            }

            if (match?.Method is { } method && string.IsNullOrEmpty(method.Exact))
            {
                yield return ($"[{i}].method", "an HTTPRoute matches a method exactly only");
            }

            foreach (var refusal in ExactOrRegex(match?.Headers, $"[{i}].headers", "an HTTPRoute matches a header exactly or by regex"))
            {
                yield return refusal;
            }

            foreach (var refusal in ExactOrRegex(match?.QueryParams, $"[{i}].queryParams", "an HTTPRoute matches a query parameter exactly or by regex"))
            {
                yield return refusal;
            }
        }
    }

    /// <summary>
    /// ingress-nginx: one <c>canary-by-header</c> (exact value or regex pattern) and one <c>canary-by-cookie</c> (the
    /// cookie's name, from header <c>cookie</c>, exact) for the whole canary Ingress.
    /// </summary>
    public static IEnumerable<(string Path, string Message)> Nginx(IList<HttpMatchRequest> matches)
    {
        ArgumentNullException.ThrowIfNull(matches);
        string? header = null, cookie = null;
        for (var i = 0; i < matches.Count; i++)
        {
            foreach (var (name, value) in matches[i]?.Headers ?? new Dictionary<string, StringMatch>())
            {
                var path = $"[{i}].headers.{name}";
                if (name == "cookie")
                {
                    if (string.IsNullOrEmpty(value?.Exact))
                    {
                        yield return (path, "nginx selects the canary by a cookie's name: give it as exact");
                    }
                    else if (cookie is not null && cookie != value.Exact)
                    {
                        yield return (path, $"nginx routes on one cookie (canary-by-cookie), already {cookie}");
                    }

                    cookie ??= value?.Exact;
                    continue;
                }

                if (string.IsNullOrEmpty(value?.Exact) && string.IsNullOrEmpty(value?.Regex))
                {
                    yield return (path, "nginx matches a header exactly (canary-by-header-value) or by regex (canary-by-header-pattern)");
                }
                else if (header is not null && header != name)
                {
                    yield return (path, $"nginx routes on one header (canary-by-header), already {header}");
                }

                header ??= name;
            }
        }
    }

    /// <summary>HTTPProxy header conditions: exact, or contains for a prefix or suffix (as Flagger); no regex.</summary>
    public static IEnumerable<(string Path, string Message)> Contour(IList<HttpMatchRequest> matches)
    {
        ArgumentNullException.ThrowIfNull(matches);
        for (var i = 0; i < matches.Count; i++)
        {
            foreach (var (name, value) in matches[i]?.Headers ?? new Dictionary<string, StringMatch>())
            {
                if (!string.IsNullOrEmpty(value?.Regex))
                {
                    yield return ($"[{i}].headers.{name}.regex", "contour cannot match a header by regex: use exact, prefix or suffix");
                }
            }
        }
    }

    /// <summary>Gloo matchers: methods exact only.</summary>
    public static IEnumerable<(string Path, string Message)> Gloo(IList<HttpMatchRequest> matches)
    {
        ArgumentNullException.ThrowIfNull(matches);
        for (var i = 0; i < matches.Count; i++)
        {
            if (matches[i]?.Method is { } method && string.IsNullOrEmpty(method.Exact))
            {
                yield return ($"[{i}].method", "gloo matches a method exactly only");
            }
        }
    }

    private static IEnumerable<(string Path, string Message)> ExactOrRegex(IDictionary<string, StringMatch>? values, string path, string message)
    {
        foreach (var (name, value) in values ?? new Dictionary<string, StringMatch>())
        {
            if (string.IsNullOrEmpty(value?.Exact) && string.IsNullOrEmpty(value?.Regex))
            {
                yield return ($"{path}.{name}", message);
            }
        }
    }
}
