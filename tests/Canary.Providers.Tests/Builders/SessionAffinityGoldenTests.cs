using System.Text.Json.Nodes;
using Canary.Api.V1Beta1;
using Canary.Providers.Builders;
using Canary.Providers.Naming;
using Canary.Providers.Routing;
using Canary.Providers.Tests.Support;

namespace Canary.Providers.Tests.Builders;

/// <summary>
/// Session affinity objects at each stage of a rollout (Flagger's getSessionAffinityRouteRules in istio.go and
/// gateway_api.go): before the first run, while the canary has weight (with and without a primary cookie), and after the
/// weight returned to 0 (previous cookie expired with Max-Age=-1).
/// </summary>
public sealed class SessionAffinityGoldenTests
{
    private const string CanaryCookie = "flagger-cookie=LpMfoQWxSx";
    private const string PrimaryCookie = "primary-cookie=KxJqcaBvTe";

    private static void Affinity(CanaryResource c, bool primary = false, string? canaryCookie = CanaryCookie, string? previous = null)
    {
        c.Spec.Analysis!.SessionAffinity = new SessionAffinity
        {
            CookieName = "flagger-cookie",
            PrimaryCookieName = primary ? "primary-cookie" : null,
            MaxAge = 21600,
            Domain = "app.example.com",
            HttpOnly = true,
            Partitioned = true,
            Path = "/",
            SameSite = "Strict",
            Secure = true,
        };
        c.Status = new CanaryStatus
        {
            SessionAffinityCookie = canaryCookie,
            PrimarySessionAffinityCookie = primary ? PrimaryCookie : null,
            PreviousSessionAffinityCookie = previous,
        };
    }

    private static CanaryResource Istio(Action<CanaryResource> configure) => TestCanaries.Podinfo(c =>
    {
        c.Spec.Provider = "istio";
        configure(c);
    });

    [Fact]
    public void Cookie_attributes_follow_Flaggers_BuildCookie_order()
    {
        var affinity = SessionAffinityCookies.For(Istio(c => Affinity(c)))!;
        Assert.Equal(
            "flagger-cookie=LpMfoQWxSx; Max-Age=21600; Domain=app.example.com; HttpOnly; Partitioned; Path=/; SameSite=Strict; Secure",
            affinity.CanarySetCookie);
        Assert.Equal("flagger-cookie=LpMfoQWxSx; Max-Age=-1", affinity with { Previous = CanaryCookie } is { } a ? a.ExpirePrevious : null);

        var plain = SessionAffinityCookies.For(Istio(c =>
        {
            c.Spec.Analysis!.SessionAffinity = new SessionAffinity { CookieName = "c", PrimaryCookieName = "p" };
            c.Status = new CanaryStatus { SessionAffinityCookie = "c=abc", PrimarySessionAffinityCookie = "p=xyz" };
        }))!;
        Assert.Equal("c=abc; Max-Age=86400", plain.CanarySetCookie);
        Assert.Equal("p=xyz; Max-Age=60", plain.PrimarySetCookie);
        Assert.Equal(".*c.*abc.*", SessionAffinityCookies.Regex("c=abc"));
    }

    [Fact]
    public void Istio_before_any_run_has_only_the_weighted_route()
    {
        Golden.AssertMatches("istio", "basic", IstioObjectsBuilder.VirtualService(Istio(c => Affinity(c, canaryCookie: null)), RouteState.AllPrimary));
    }

    [Fact]
    public void Istio_canary_weight_sticky_canary_route_then_weighted_route_setting_the_cookie()
    {
        var canary = Istio(c => Affinity(c));
        var spec = IstioObjectsBuilder.VirtualServiceSpec(canary, new RouteState(90, 10, false));
        Golden.AssertMatches("istio", "session-affinity-canary", spec);
        Assert.Equal(new RouteState(90, 10, false), IstioObjectsBuilder.ReadRoutes(new JsonObject { ["spec"] = spec }, CanaryNames.Services(canary)));
    }

    [Fact]
    public void Istio_primary_cookie_adds_a_sticky_primary_route_with_the_interval_as_max_age()
    {
        var canary = Istio(c =>
        {
            Affinity(c, primary: true);
            c.Spec.Service!.Match = [new HttpMatchRequest { Uri = new StringMatch { Prefix = "/api" } }];
        });
        var spec = IstioObjectsBuilder.VirtualServiceSpec(canary, new RouteState(70, 30, false));
        Golden.AssertMatches("istio", "session-affinity-primary-cookie", spec);
        Assert.Equal(new RouteState(70, 30, false), IstioObjectsBuilder.ReadRoutes(new JsonObject { ["spec"] = spec }, CanaryNames.Services(canary)));
    }

    [Fact]
    public void Istio_after_the_run_expires_the_previous_cookie_and_routes_it_to_the_primary()
    {
        var canary = Istio(c =>
        {
            Affinity(c, primary: true, canaryCookie: null, previous: CanaryCookie);
            c.Spec.Service!.Headers = new HeaderOperations { Response = new HeaderOperationSet { Add = new Dictionary<string, string> { ["x-served-by"] = "podinfo" } } };
        });
        var spec = IstioObjectsBuilder.VirtualServiceSpec(canary, RouteState.AllPrimary);
        Golden.AssertMatches("istio", "session-affinity-previous", spec);
        Assert.Equal(RouteState.AllPrimary, IstioObjectsBuilder.ReadRoutes(new JsonObject { ["spec"] = spec }, CanaryNames.Services(canary)));
    }

    [Fact]
    public void Gateway_before_any_run_has_only_the_weighted_rule()
    {
        var route = HttpRouteBuilder.Build(TestCanaries.WithGateway(c => Affinity(c, canaryCookie: null)), RouterKinds.HttpRouteV1, RouteState.AllPrimary);
        Golden.AssertMatches("gatewayapi", "basic", route);
    }

    [Fact]
    public void Gateway_canary_weight_sticky_rule_then_weighted_rule_whose_canary_backend_sets_the_cookie()
    {
        var canary = TestCanaries.WithGateway(c => Affinity(c));
        var route = HttpRouteBuilder.Build(canary, RouterKinds.HttpRouteV1, new RouteState(90, 10, false));
        Golden.AssertMatches("gatewayapi", "session-affinity-canary", route);
        Assert.Equal(new RouteState(90, 10, false), HttpRouteBuilder.ReadRoutes(route, CanaryNames.Services(canary)));
    }

    [Fact]
    public void Gateway_v1_primary_cookie_adds_a_sticky_primary_rule()
    {
        var canary = TestCanaries.WithGateway(c =>
        {
            Affinity(c, primary: true);
            c.Spec.Service!.Match = [new HttpMatchRequest { Uri = new StringMatch { Prefix = "/api" } }];
            c.Spec.Service.Timeout = "30s";
        });
        var route = HttpRouteBuilder.Build(canary, RouterKinds.HttpRouteV1, new RouteState(70, 30, false));
        Golden.AssertMatches("gatewayapi", "session-affinity-primary-cookie", route);
        Assert.Equal(new RouteState(70, 30, false), HttpRouteBuilder.ReadRoutes(route, CanaryNames.Services(canary)));
    }

    [Fact]
    public void Gateway_v1beta1_has_no_primary_cookie()
    {
        var canary = TestCanaries.WithGateway(c =>
        {
            c.Spec.Provider = "gatewayapi:v1beta1";
            Affinity(c, primary: true);
        });
        var v1beta1 = HttpRouteBuilder.Build(canary, RouterKinds.HttpRouteV1Beta1, new RouteState(90, 10, false));
        var v1 = HttpRouteBuilder.Build(canary, RouterKinds.HttpRouteV1, new RouteState(90, 10, false));
        Assert.Equal(2, ((JsonArray)v1beta1["spec"]!["rules"]!).Count);
        Assert.Equal(3, ((JsonArray)v1["spec"]!["rules"]!).Count);
        Assert.Equal(
            ((JsonArray)v1beta1["spec"]!["rules"]!).ToJsonString(),
            ((JsonArray)HttpRouteBuilder.Build(TestCanaries.WithGateway(c => Affinity(c)), RouterKinds.HttpRouteV1, new RouteState(90, 10, false))["spec"]!["rules"]!).ToJsonString());
    }

    [Fact]
    public void Gateway_after_the_run_expires_the_previous_cookie()
    {
        var canary = TestCanaries.WithGateway(c => Affinity(c, canaryCookie: null, previous: CanaryCookie));
        var route = HttpRouteBuilder.Build(canary, RouterKinds.HttpRouteV1, RouteState.AllPrimary);
        Golden.AssertMatches("gatewayapi", "session-affinity-previous", route);
        Assert.Equal(RouteState.AllPrimary, HttpRouteBuilder.ReadRoutes(route, CanaryNames.Services(canary)));
    }

    [Fact]
    public void Every_sameSite_value_reaches_the_Set_Cookie_on_istio_and_gateway_api()
    {
        foreach (var sameSite in (string[])["Strict", "Lax", "None"])
        {
            void Configure(CanaryResource c)
            {
                c.Spec.Analysis!.SessionAffinity = new SessionAffinity { CookieName = "flagger-cookie", SameSite = sameSite };
                c.Status = new CanaryStatus { SessionAffinityCookie = CanaryCookie };
            }

            var expected = $"{CanaryCookie}; Max-Age=86400; SameSite={sameSite}";
            var vs = IstioObjectsBuilder.VirtualServiceSpec(Istio(Configure), new RouteState(90, 10, false));
            Assert.Equal(expected, (string?)vs["http"]![1]!["route"]![1]!["headers"]!["response"]!["add"]!["Set-Cookie"]);
            var route = HttpRouteBuilder.Build(TestCanaries.WithGateway(Configure), RouterKinds.HttpRouteV1, new RouteState(90, 10, false));
            Assert.Equal(expected, (string?)route["spec"]!["rules"]![1]!["backendRefs"]![1]!["filters"]![0]!["responseHeaderModifier"]!["add"]![0]!["value"]);
        }
    }

    [Fact]
    public void AB_matches_take_precedence_over_session_affinity()
    {
        var canary = TestCanaries.WithGateway(c =>
        {
            TestCanaries.AbTesting(c);
            Affinity(c);
        });
        Golden.AssertMatches("gatewayapi", "ab-header-cookie", HttpRouteBuilder.Build(canary, RouterKinds.HttpRouteV1, new RouteState(0, 100, false)));
    }
}
