namespace Canary.Sandbox.Traffic;

/// <summary>
/// A share of an app's requests that carries the same headers and cookies (e.g. 10 % of users with
/// <c>x-canary: insider</c>), so A/B matches see a known fraction of the traffic.
/// </summary>
/// <param name="Name">Label used in <see cref="TrafficStatistics"/>.</param>
/// <param name="Share">Fraction 0..1 of the app's requests.</param>
/// <param name="Headers">Request headers (names are case-insensitive).</param>
/// <param name="Cookies">Cookies, sent as one <c>cookie</c> header.</param>
public sealed record RequestSegment(
    string Name,
    double Share,
    IReadOnlyDictionary<string, string> Headers,
    IReadOnlyDictionary<string, string> Cookies)
{
    /// <summary>Name of the segment made of the requests no configured segment claims.</summary>
    public const string DefaultName = "default";

    /// <summary>A segment whose requests carry one header.</summary>
    public static RequestSegment WithHeader(string name, string value, double share) =>
        new($"header:{name}={value}", share, new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { [name] = value }, new Dictionary<string, string>());

    /// <summary>A segment whose requests carry one cookie.</summary>
    public static RequestSegment WithCookie(string name, string value, double share) =>
        new($"cookie:{name}={value}", share, new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase), new Dictionary<string, string>(StringComparer.Ordinal) { [name] = value });
}
