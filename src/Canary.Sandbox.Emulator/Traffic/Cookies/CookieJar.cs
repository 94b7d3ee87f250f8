namespace Canary.Sandbox.Traffic.Cookies;

/// <summary>
/// A browser's cookies for one host, reduced to what session affinity needs: <c>name=value</c> with <c>Max-Age</c>
/// (absent = session cookie, ≤ 0 = delete). Other attributes are accepted and ignored.
/// </summary>
internal sealed class CookieJar
{
    private readonly SortedDictionary<string, (string Value, DateTimeOffset? Expires)> _cookies = new(StringComparer.Ordinal);

    /// <summary>Applies one <c>Set-Cookie</c> header value received at <paramref name="now"/>.</summary>
    public void Receive(string setCookie, DateTimeOffset now)
    {
        var parts = setCookie.Split(';', StringSplitOptions.TrimEntries);
        var pair = parts[0].Split('=', 2);
        if (pair.Length != 2 || pair[0].Length == 0)
        {
            return; // not a cookie a browser would keep
        }

        DateTimeOffset? expires = null;
        foreach (var attribute in parts.Skip(1))
        {
            var kv = attribute.Split('=', 2);
            if (kv.Length == 2 && string.Equals(kv[0], "Max-Age", StringComparison.OrdinalIgnoreCase)
                && long.TryParse(kv[1], System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var maxAge))
            {
                if (maxAge <= 0)
                {
                    _cookies.Remove(pair[0]);
                    return;
                }

                expires = now.AddSeconds(Math.Min(maxAge, 10L * 365 * 86400));
            }
        }

        _cookies[pair[0]] = (pair[1], expires);
    }

    /// <summary>The cookies still valid at <paramref name="now"/> (expired ones are dropped).</summary>
    public IReadOnlyDictionary<string, string> Current(DateTimeOffset now)
    {
        foreach (var expired in _cookies.Where(c => c.Value.Expires <= now).Select(c => c.Key).ToList())
        {
            _cookies.Remove(expired);
        }

        return _cookies.ToDictionary(c => c.Key, c => c.Value.Value, StringComparer.Ordinal);
    }
}
