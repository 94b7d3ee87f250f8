using Canary.Api.V1Beta1;
using Canary.Rollout.Revisions;
using Canary.Rollout.StateMachine;

namespace Canary.Rollout.Tests.StateMachine;

/// <summary>
/// Session affinity cookie lifecycle (Flagger's getSessionAffinityRouteRules, decided purely): created when the canary
/// weight becomes non-zero, carried by every SetRoutes, moved to previousSessionAffinityCookie when the weight returns to 0.
/// </summary>
public sealed class SessionAffinityTests
{
    private static Scenario Affinity(string? primaryCookieName = null, int threshold = 5)
    {
        var analysis = Hooks.Canary(stepWeight: 20, maxWeight: 40, threshold: threshold);
        analysis.SessionAffinity = new SessionAffinity { CookieName = "canary-cookie", PrimaryCookieName = primaryCookieName };
        var s = new Scenario(analysis).AllHooksPass().Initialized();
        s.Revision = new Revision("rev2");
        return s;
    }

    private static void TickUntil(Scenario s, Func<Scenario, bool> done)
    {
        for (var i = 0; i < 20 && !done(s); i++)
        {
            s.Tick();
        }

        Assert.True(done(s));
    }

    [Fact]
    public void Cookie_is_created_at_the_first_non_zero_weight_and_kept_through_the_run()
    {
        var s = Affinity();
        TickUntil(s, x => x.Status.CanaryWeight == 20);

        var cookie = s.Status.SessionAffinityCookie;
        Assert.NotNull(cookie);
        Assert.Matches("^canary-cookie=[a-zA-Z]{10}$", cookie);
        Assert.Null(s.Status.PrimarySessionAffinityCookie);
        var first = s.Actions.OfType<SetRoutesAction>().Single();
        Assert.Equal(new SessionAffinityCookies(cookie, null, null), first.Cookies);

        TickUntil(s, x => x.Status.CanaryWeight == 40);
        Assert.Equal(cookie, s.Status.SessionAffinityCookie);
        Assert.All(s.Actions.OfType<SetRoutesAction>(), a => Assert.Equal(cookie, a.Cookies?.Canary));
    }

    [Fact]
    public void Promotion_moves_the_cookie_to_previous_and_the_primary_cookie_stays()
    {
        var s = Affinity(primaryCookieName: "primary-cookie");
        TickUntil(s, x => x.Status.CanaryWeight == 20);
        var cookie = s.Status.SessionAffinityCookie!;
        var primary = s.Status.PrimarySessionAffinityCookie;
        Assert.Matches("^primary-cookie=[a-zA-Z]{10}$", primary);

        TickUntil(s, x => x.Status.Phase == CanaryPhase.Succeeded);
        Assert.Null(s.Status.SessionAffinityCookie);
        Assert.Equal(cookie, s.Status.PreviousSessionAffinityCookie);
        Assert.Equal(primary, s.Status.PrimarySessionAffinityCookie);
        Assert.Equal(new SessionAffinityCookies(null, primary, cookie), s.Actions.OfType<SetRoutesAction>().Last(a => a.CanaryWeight == 0).Cookies);
        Assert.Equal(cookie, s.Stored!.PreviousSessionAffinityCookie);
        Assert.Null(s.Stored.SessionAffinityCookie);
    }

    [Fact]
    public void Rollback_moves_the_cookie_to_previous_and_the_next_run_gets_a_new_one()
    {
        var s = Affinity(threshold: 1);
        TickUntil(s, x => x.Status.CanaryWeight == 20);
        var cookie = s.Status.SessionAffinityCookie!;

        s.Answer(Question.Metrics, CheckOutcome.Fail("metric failed"));
        TickUntil(s, x => x.Status.Phase == CanaryPhase.Failed);
        Assert.Null(s.Status.SessionAffinityCookie);
        Assert.Equal(cookie, s.Status.PreviousSessionAffinityCookie);

        s.Answer(Question.Metrics, CheckOutcome.Pass);
        s.Revision = new Revision("rev3");
        TickUntil(s, x => x.Status.CanaryWeight == 20);
        Assert.NotEqual(cookie, s.Status.SessionAffinityCookie);
        Assert.Equal(cookie, s.Status.PreviousSessionAffinityCookie);
    }

    [Fact]
    public void Cookie_values_are_derived_from_uid_and_revision_and_never_repeat_the_previous_one()
    {
        var a = SessionAffinityCookies.Derive("c", "uid-1", "rev", "canary", null);
        Assert.Equal(a, SessionAffinityCookies.Derive("c", "uid-1", "rev", "canary", null));
        Assert.NotEqual(a, SessionAffinityCookies.Derive("c", "uid-2", "rev", "canary", null));
        Assert.NotEqual(a, SessionAffinityCookies.Derive("c", "uid-1", "rev2", "canary", null));
        var other = SessionAffinityCookies.Derive("c", "uid-1", "rev", "canary", avoid: a);
        Assert.NotEqual(a, other);
        Assert.Matches("^c=[a-zA-Z]{10}$", other);
    }

    [Fact]
    public void Without_session_affinity_no_cookie_is_written()
    {
        var s = new Scenario(Hooks.Canary(stepWeight: 20, maxWeight: 40)).AllHooksPass().Initialized();
        s.Revision = new Revision("rev2");
        TickUntil(s, x => x.Status.Phase == CanaryPhase.Succeeded);
        Assert.All(s.Actions.OfType<SetRoutesAction>(), a => Assert.Null(a.Cookies));
        Assert.Null(s.Stored!.SessionAffinityCookie);
        Assert.Null(s.Stored.PreviousSessionAffinityCookie);
    }
}
