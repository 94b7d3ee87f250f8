using Canary.Api.Defaults;
using Canary.Api.V1Beta1;
using Canary.Providers.Naming;
using Canary.Providers.Routing;

namespace Canary.Providers.Builders;

/// <summary>
/// What the Istio and Gateway API builders need to write session affinity rules (flagger.md §4.3, Flagger's
/// <c>getSessionAffinityRouteRules</c> and <c>SessionAffinity.BuildCookie</c>): the cookies come from the Canary's status,
/// where the rollout engine put them before asking for the split (the routers never generate them).
/// </summary>
internal sealed record SessionAffinityCookies(SessionAffinity Settings, string? Canary, string? Primary, string? Previous, int IntervalSeconds)
{
    /// <summary>The request header the sticky rules match.</summary>
    public const string CookieHeader = "Cookie";

    /// <summary>The response header the backends add.</summary>
    public const string SetCookieHeader = "Set-Cookie";

    /// <summary>
    /// The session affinity state of <paramref name="canary"/>, or null when analysis.sessionAffinity is not set or A/B
    /// matches are (the A/B rules replace the weighted rule, as in Flagger's Istio router).
    /// </summary>
    public static SessionAffinityCookies? For(CanaryResource canary)
    {
        var analysis = canary.Spec.EffectiveAnalysis();
        if (analysis?.SessionAffinity is not { CookieName.Length: > 0 } settings || analysis.Match is { Count: > 0 })
        {
            return null;
        }

        var status = canary.Status;
        return new SessionAffinityCookies(
            settings,
            Valid(status?.SessionAffinityCookie, canary),
            string.IsNullOrEmpty(settings.PrimaryCookieName) ? null : Valid(status?.PrimarySessionAffinityCookie, canary),
            Valid(status?.PreviousSessionAffinityCookie, canary),
            (int)analysis.EffectiveInterval().TotalSeconds);
    }

    /// <summary>
    /// Flagger's <c>BuildCookie</c>: <c>name=value; Max-Age=N</c> then Domain, HttpOnly, Partitioned, Path, SameSite, Secure
    /// when set.
    /// </summary>
    public string Build(string cookie, int maxAge)
    {
        var value = $"{cookie}; Max-Age={maxAge}";
        if (!string.IsNullOrEmpty(Settings.Domain))
        {
            value += $"; Domain={Settings.Domain}";
        }

        if (Settings.HttpOnly == true)
        {
            value += "; HttpOnly";
        }

        if (Settings.Partitioned == true)
        {
            value += "; Partitioned";
        }

        if (!string.IsNullOrEmpty(Settings.Path))
        {
            value += $"; Path={Settings.Path}";
        }

        if (!string.IsNullOrEmpty(Settings.SameSite))
        {
            value += $"; SameSite={Settings.SameSite}";
        }

        if (Settings.Secure == true)
        {
            value += "; Secure";
        }

        return value;
    }

    /// <summary>Set-Cookie of the canary backend: the canary cookie with maxAge (default 86400).</summary>
    public string CanarySetCookie => Build(Canary!, Settings.EffectiveMaxAge());

    /// <summary>Set-Cookie of the primary backend: the primary cookie with Max-Age = the analysis interval in seconds.</summary>
    public string PrimarySetCookie => Build(Primary!, IntervalSeconds);

    /// <summary>Set-Cookie deleting the previous rollout's cookie (no other attribute, as Flagger).</summary>
    public string ExpirePrevious => $"{Previous}; Max-Age=-1";

    /// <summary>The regular expression the sticky rules match the Cookie header with: <c>.*name.*value.*</c>.</summary>
    public static string Regex(string cookie)
    {
        var parts = cookie.Split('=', 2);
        return $".*{parts[0]}.*{(parts.Length > 1 ? parts[1] : string.Empty)}.*";
    }

    private static string? Valid(string? cookie, CanaryResource canary)
    {
        if (string.IsNullOrEmpty(cookie))
        {
            return null;
        }

        return cookie.Contains('=', StringComparison.Ordinal)
            ? cookie
            : throw new TrafficRouterException($"canary {CanaryNames.Describe(canary)}: session affinity cookie '{cookie}' is not name=value");
    }
}
