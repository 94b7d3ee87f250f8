using Canary.Api.V1Beta1;
using Canary.Providers.Builders;
using Canary.Providers.Naming;
using Canary.Providers.Routing;
using Canary.Providers.Tests.Support;

namespace Canary.Providers.Tests.Builders;

public sealed class HttpRouteBuilderGoldenTests
{
    [Fact]
    public void Basic_route_defaults_to_every_path()
    {
        var route = HttpRouteBuilder.Build(TestCanaries.WithGateway(), RouterKinds.HttpRouteV1, RouteState.AllPrimary);
        Golden.AssertMatches("gatewayapi", "basic", route);
    }

    [Fact]
    public void Canary_90_10_with_filters_and_timeouts()
    {
        var canary = TestCanaries.WithGateway(c =>
        {
            var s = c.Spec.Service!;
            s.Timeout = "30s";
            s.BackendTimeout = "10s";
            s.Match = [new HttpMatchRequest { Uri = new StringMatch { Prefix = "/api" } }];
            s.Headers = new HeaderOperations
            {
                Request = new HeaderOperationSet
                {
                    Set = new Dictionary<string, string> { ["x-b"] = "2", ["x-a"] = "1" },
                    Add = new Dictionary<string, string> { ["x-from"] = "canary" },
                    Remove = ["x-debug"],
                },
                Response = new HeaderOperationSet { Set = new Dictionary<string, string> { ["x-served-by"] = "podinfo" } },
            };
            s.Rewrite = new HttpRewrite { Uri = "/", Type = "ReplacePrefixMatch", Authority = "internal.example.com" };
            s.CorsPolicy = new CorsPolicy
            {
                AllowOrigins = [new StringMatch { Exact = "https://example.com" }],
                AllowMethods = ["GET", "POST"],
                AllowHeaders = ["x-token"],
                ExposeHeaders = ["x-trace"],
                MaxAge = "24h",
                AllowCredentials = true,
            };
            s.Apex = new CustomMetadata { Labels = new Dictionary<string, string> { ["team"] = "web" } };
        });
        var route = HttpRouteBuilder.Build(canary, RouterKinds.HttpRouteV1, new RouteState(90, 10, false));
        Golden.AssertMatches("gatewayapi", "canary-90-10", route);
    }

    [Fact]
    public void AB_testing_with_header_and_cookie_match()
    {
        var canary = TestCanaries.WithGateway(TestCanaries.AbTesting);
        var route = HttpRouteBuilder.Build(canary, RouterKinds.HttpRouteV1, new RouteState(0, 100, false));
        Golden.AssertMatches("gatewayapi", "ab-header-cookie", route);
    }

    [Fact]
    public void Blue_green_mirror_adds_a_request_mirror_to_the_canary()
    {
        var canary = TestCanaries.WithGateway(TestCanaries.BlueGreenMirror);
        var route = HttpRouteBuilder.Build(canary, RouterKinds.HttpRouteV1Beta1, new RouteState(100, 0, true));
        Golden.AssertMatches("gatewayapi", "bluegreen-mirror-v1beta1", route);
    }

    [Fact]
    public void Mirror_is_ignored_for_the_canary_strategy_as_in_Flagger()
    {
        var route = HttpRouteBuilder.Build(TestCanaries.WithGateway(), RouterKinds.HttpRouteV1, new RouteState(100, 0, true));
        Assert.Equal(new RouteState(100, 0, false), HttpRouteBuilder.ReadRoutes(route, CanaryNames.Services(TestCanaries.WithGateway())));
    }

    [Theory]
    [InlineData(90, 10, false)]
    [InlineData(0, 100, false)]
    [InlineData(100, 0, true)]
    public void ReadRoutes_returns_what_Build_wrote(int primary, int canaryWeight, bool mirrored)
    {
        var canary = TestCanaries.WithGateway(c => TestCanaries.BlueGreenMirror(c));
        var route = HttpRouteBuilder.Build(canary, RouterKinds.HttpRouteV1, new RouteState(primary, canaryWeight, mirrored));
        Assert.Equal(new RouteState(primary, canaryWeight, mirrored), HttpRouteBuilder.ReadRoutes(route, CanaryNames.Services(canary)));
    }

    [Fact]
    public void Missing_gateway_refs_is_a_clear_error()
    {
        var canary = TestCanaries.Podinfo(c => c.Spec.Provider = "gatewayapi:v1");
        var error = Assert.Throws<TrafficRouterException>(() => HttpRouteBuilder.Spec(canary, RouteState.AllPrimary));
        Assert.Contains("gatewayRefs must be specified", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_AB_match_narrows_the_service_match_with_every_condition_it_sets()
    {
        // Flagger keeps only the A/B headers and query parameters here, dropping its path and method.
        var canary = TestCanaries.WithGateway(c =>
        {
            c.Spec.Analysis = new CanaryAnalysis
            {
                Interval = "1m", Iterations = 5,
                Match = [new HttpMatchRequest { Uri = new StringMatch { Prefix = "/api/v2" }, Method = new StringMatch { Exact = "POST" }, Headers = new Dictionary<string, StringMatch> { ["x-canary"] = new() { Exact = "insider" } } }],
            };
            c.Spec.Service!.Match = [new HttpMatchRequest { Uri = new StringMatch { Prefix = "/api" } }];
        });

        var route = HttpRouteBuilder.Build(canary, RouterKinds.HttpRouteV1, new RouteState(0, 100, false));

        var match = route["spec"]!["rules"]![0]!["matches"]![0]!;
        Assert.Equal("/api/v2", (string?)match["path"]!["value"]);
        Assert.Equal("POST", (string?)match["method"]);
        Assert.Equal("x-canary", (string?)match["headers"]![0]!["name"]);
    }

    [Fact]
    public void Unsupported_match_types_are_rejected()
    {
        var canary = TestCanaries.WithGateway(c => c.Spec.Service!.Match =
            [new HttpMatchRequest { Headers = new Dictionary<string, StringMatch> { ["x"] = new() { Prefix = "a" } } }]);
        Assert.Throws<TrafficRouterException>(() => HttpRouteBuilder.Spec(canary, RouteState.AllPrimary));
    }
}
