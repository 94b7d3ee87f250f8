using Canary.Api.V1Beta1;
using Canary.Providers.Builders;
using Canary.Providers.Routing;
using Canary.Providers.Tests.Support;

namespace Canary.Providers.Tests.Builders;

public sealed class HttpProxyBuilderGoldenTests
{
    [Fact]
    public void Canary_80_20_with_prefix_timeout_and_retries()
    {
        var canary = TestCanaries.Podinfo(c =>
        {
            c.Spec.Service!.Match = [new HttpMatchRequest { Uri = new StringMatch { Prefix = "/api" } }];
            c.Spec.Service.Timeout = "15s";
            c.Spec.Service.Retries = new HttpRetry { Attempts = 3, PerTryTimeout = "5s", RetryOn = "5xx, gateway-error" };
        });
        var proxy = HttpProxyBuilder.Build(canary, RouterKinds.ContourHttpProxy, new RouteState(80, 20, false));
        Golden.AssertMatches("contour", "canary-80-20", proxy);
    }

    [Fact]
    public void AB_testing_header_conditions_first_then_everything_else_to_the_primary()
    {
        var canary = TestCanaries.Podinfo(c => c.Spec.Analysis = new CanaryAnalysis
        {
            Interval = "1m",
            Iterations = 5,
            Match =
            [
                new HttpMatchRequest { Headers = new Dictionary<string, StringMatch> { ["x-canary"] = new() { Exact = "insider" } } },
                new HttpMatchRequest { Headers = new Dictionary<string, StringMatch> { ["user-agent"] = new() { Prefix = "Firefox" } } },
            ],
        });
        var proxy = HttpProxyBuilder.Build(canary, RouterKinds.ContourHttpProxy, new RouteState(0, 100, false));
        Golden.AssertMatches("contour", "ab-headers", proxy);
    }

    [Fact]
    public void A_header_regex_is_an_error_naming_the_field_not_a_condition_that_matches_everything()
    {
        var canary = TestCanaries.Podinfo(c => c.Spec.Analysis = new CanaryAnalysis
        {
            Interval = "1m",
            Iterations = 5,
            Match = [new HttpMatchRequest { Headers = new Dictionary<string, StringMatch> { ["cookie"] = new() { Regex = "^(.*?;)?(canary=always)(;.*)?$" } } }],
        });

        var error = Assert.Throws<TrafficRouterException>(() => HttpProxyBuilder.Spec(canary, RouteState.AllPrimary));
        Assert.Equal("contour cannot match header cookie by regex (spec.analysis.match): use exact, prefix or suffix", error.Message);
    }
}
