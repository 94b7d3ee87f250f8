using System.Text.RegularExpressions;

namespace Canary.Sandbox.Traffic.Routing;

/// <summary>String matches as the proxies evaluate them (RE2-style full matches for Envoy, searches for NGINX).</summary>
internal static class Matching
{
    private static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(100);

    /// <summary>Envoy safe_regex: the whole value must match.</summary>
    public static bool FullRegex(string? value, string pattern) =>
        value is not null && Safe(() => Regex.IsMatch(value, $"^(?:{pattern})$", RegexOptions.CultureInvariant, RegexTimeout));

    /// <summary>ngx.re.match: a match anywhere in the value.</summary>
    public static bool SearchRegex(string? value, string pattern) =>
        value is not null && Safe(() => Regex.IsMatch(value, pattern, RegexOptions.CultureInvariant, RegexTimeout));

    /// <summary>Gateway API PathPrefix: element-wise, so /api matches /api and /api/x but not /apis.</summary>
    public static bool PathPrefix(string path, string prefix)
    {
        var trimmed = prefix.TrimEnd('/');
        return trimmed.Length == 0
            || string.Equals(path, trimmed, StringComparison.Ordinal)
            || path.StartsWith(trimmed + "/", StringComparison.Ordinal);
    }

    // A pattern the proxy would reject never matches instead of stopping the simulation.
    private static bool Safe(Func<bool> match)
    {
        try
        {
            return match();
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }
}
