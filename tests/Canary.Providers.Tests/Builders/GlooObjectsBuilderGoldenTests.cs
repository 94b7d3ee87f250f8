using System.Text.Json.Nodes;
using Canary.Api.V1Beta1;
using Canary.Providers.Builders;
using Canary.Providers.Routing;
using Canary.Providers.Tests.Support;

namespace Canary.Providers.Tests.Builders;

public sealed class GlooObjectsBuilderGoldenTests
{
    internal static JsonObject ConfigUpstream() => new()
    {
        ["apiVersion"] = "gloo.solo.io/v1",
        ["kind"] = "Upstream",
        ["metadata"] = new JsonObject { ["name"] = "podinfo-config", ["namespace"] = "gloo-system" },
        ["spec"] = new JsonObject
        {
            ["connectionConfig"] = new JsonObject { ["maxRequestsPerConnection"] = 100 },
            ["loadBalancerConfig"] = new JsonObject { ["roundRobin"] = new JsonObject() },
            ["useHttp2"] = true,
            ["kube"] = new JsonObject { ["serviceName"] = "ignored", ["servicePort"] = 1 },
            ["static"] = new JsonObject { ["hosts"] = new JsonArray() },
        },
    };

    [Fact]
    public void Canary_upstream_copies_the_config_upstreams_settings_and_points_at_the_canary_service()
    {
        var upstream = GlooObjectsBuilder.Upstream(TestCanaries.Podinfo(), forCanary: true, "podinfo-canary", new JsonObject { ["app"] = "podinfo" }, ConfigUpstream());
        Golden.AssertMatches("gloo", "canary-upstream", upstream);
    }

    [Fact]
    public void Route_table_at_70_30()
    {
        Golden.AssertMatches("gloo", "routetable-70-30", GlooObjectsBuilder.RouteTable(TestCanaries.Podinfo(), new RouteState(70, 30, false)));
    }

    [Fact]
    public void AB_one_matcher_per_entry_then_the_rest_to_the_primary()
    {
        var canary = TestCanaries.Podinfo(c => c.Spec.Analysis = new CanaryAnalysis
        {
            Interval = "1m",
            Iterations = 5,
            Match =
            [
                new HttpMatchRequest { Headers = new Dictionary<string, StringMatch> { ["x-canary"] = new() { Exact = "insider" } } },
                new HttpMatchRequest
                {
                    Headers = new Dictionary<string, StringMatch> { ["user-agent"] = new() { Prefix = "Mozilla/5.0 (X11" } },
                    QueryParams = new Dictionary<string, StringMatch> { ["beta"] = new() { Regex = "on|yes" } },
                    Method = new StringMatch { Exact = "GET" },
                },
            ],
        });
        var routeTable = GlooObjectsBuilder.RouteTable(canary, new RouteState(0, 100, false));
        Golden.AssertMatches("gloo", "routetable-ab", routeTable);
        Assert.Equal(new RouteState(0, 100, false), GlooObjectsBuilder.ReadRoutes(canary, routeTable));
    }
}
