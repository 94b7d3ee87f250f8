using System.Security.Cryptography;
using System.Text;

namespace Canary.Rollout.StateMachine;

/// <summary>
/// The session affinity cookies (<c>name=value</c>) a traffic split is written with: the routers build the sticky rules
/// and <c>Set-Cookie</c> headers from them (flagger.md §4.3, Flagger's <c>getSessionAffinityRouteRules</c>).
/// </summary>
/// <param name="Canary">Cookie pinning users to the canary while its weight is non-zero; null at weight 0.</param>
/// <param name="Primary">Cookie pinning users to the primary (only with <c>primaryCookieName</c>).</param>
/// <param name="Previous">Canary cookie of the last rollout, expired with <c>Max-Age=-1</c> while the weight is 0.</param>
public sealed record SessionAffinityCookies(string? Canary, string? Primary, string? Previous)
{
    private const string Letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

    /// <summary>
    /// Flagger's lifecycle, decided purely: at a non-zero canary weight the canary (and primary) cookie is created when
    /// missing; at weight 0 the canary cookie becomes the previous one. Values are 10 letters derived from the Canary's
    /// uid, the revision under analysis and the kind, so a retried or restarted tick writes the same cookie (Flagger
    /// draws them at random); a value equal to the previous cookie is re-derived.
    /// </summary>
    internal static RolloutStatus Next(RolloutStatus status, TickInput input, int canaryWeight)
    {
        var analysis = input.Spec.Analysis;
        if (analysis.SessionAffinityCookieName is not { } cookieName)
        {
            return status;
        }

        if (canaryWeight == 0)
        {
            return status.SessionAffinityCookie is { } current
                ? status with { PreviousSessionAffinityCookie = current, SessionAffinityCookie = null }
                : status;
        }

        var revision = input.Facts.Revision.Checksum;
        var canary = status.SessionAffinityCookie
            ?? Derive(cookieName, input.Uid, revision, "canary", status.PreviousSessionAffinityCookie);
        var primary = status.PrimarySessionAffinityCookie
            ?? (analysis.PrimarySessionAffinityCookieName is { } primaryName ? Derive(primaryName, input.Uid, revision, "primary", null) : null);
        return status with { SessionAffinityCookie = canary, PrimarySessionAffinityCookie = primary };
    }

    /// <summary>The cookies of <paramref name="status"/>, or null when session affinity is not configured.</summary>
    internal static SessionAffinityCookies? Of(RolloutStatus status, TickInput input) =>
        input.Spec.Analysis.SessionAffinityCookieName is null
            ? null
            : new SessionAffinityCookies(status.SessionAffinityCookie, status.PrimarySessionAffinityCookie, status.PreviousSessionAffinityCookie);

    /// <summary><c>name=</c> followed by 10 letters derived from the other arguments (never equal to <paramref name="avoid"/>).</summary>
    internal static string Derive(string name, string uid, string revision, string kind, string? avoid)
    {
        for (var salt = 0; ; salt++)
        {
            var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{uid}/{revision}/{kind}/{salt}"));
            var value = new StringBuilder(name.Length + 11).Append(name).Append('=');
            for (var i = 0; i < 10; i++)
            {
                value.Append(Letters[hash[i] % Letters.Length]);
            }

            var cookie = value.ToString();
            if (cookie != avoid)
            {
                return cookie;
            }
        }
    }
}
