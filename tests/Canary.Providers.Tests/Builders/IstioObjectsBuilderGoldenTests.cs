using Canary.Api.V1Beta1;
using Canary.Providers.Builders;
using Canary.Providers.Naming;
using Canary.Providers.Routing;
using Canary.Providers.Tests.Support;

namespace Canary.Providers.Tests.Builders;

public sealed class IstioObjectsBuilderGoldenTests
{
    internal static CanaryResource IstioCanary(Action<CanaryResource>? configure = null) => TestCanaries.Podinfo(c =>
    {
        c.Spec.Provider = "istio";
        configure?.Invoke(c);
    });

    [Fact]
    public void Basic_virtual_service_defaults_to_the_mesh_gateway()
    {
        var vs = IstioObjectsBuilder.VirtualService(IstioCanary(), RouteState.AllPrimary);
        Golden.AssertMatches("istio", "basic", vs);
    }

    [Fact]
    public void Retries_timeout_cors_headers_rewrite_and_mirror_weight()
    {
        var canary = IstioCanary(c =>
        {
            var s = c.Spec.Service!;
            s.Gateways = ["public-gateway.istio-system.svc.cluster.local"];
            s.Hosts = ["app.example.com"];
            s.Match = [new HttpMatchRequest { Uri = new StringMatch { Prefix = "/api" } }];
            s.Rewrite = new HttpRewrite { Uri = "/", Type = "ReplacePrefixMatch" };
            s.Timeout = "30s";
            s.Retries = new HttpRetry { Attempts = 3, PerTryTimeout = "1s", RetryOn = "gateway-error,connect-failure,refused-stream" };
            s.Headers = new HeaderOperations
            {
                Request = new HeaderOperationSet { Add = new Dictionary<string, string> { ["x-some-header"] = "value" } },
                Response = new HeaderOperationSet { Remove = ["x-envoy-upstream-service-time"] },
            };
            s.CorsPolicy = new CorsPolicy
            {
                AllowOrigins = [new StringMatch { Exact = "https://example.com" }],
                AllowMethods = ["GET"],
                AllowCredentials = false,
                AllowHeaders = ["x-some-header"],
                MaxAge = "24h",
            };
            c.Spec.Analysis = new CanaryAnalysis { Interval = "1m", StepWeight = 10, Mirror = true, MirrorWeight = 25 };
        });
        var vs = IstioObjectsBuilder.VirtualService(canary, new RouteState(100, 0, true));
        Golden.AssertMatches("istio", "retries-timeout-cors-mirror", vs);
        Assert.Equal(new RouteState(100, 0, true), IstioObjectsBuilder.ReadRoutes(vs, CanaryNames.Services(canary)));
    }

    [Fact]
    public void AB_testing_merges_analysis_and_service_matches()
    {
        var canary = IstioCanary(c =>
        {
            TestCanaries.AbTesting(c);
            c.Spec.Service!.Match = [new HttpMatchRequest { Uri = new StringMatch { Prefix = "/api" } }];
        });
        var vs = IstioObjectsBuilder.VirtualService(canary, new RouteState(0, 100, false));
        Golden.AssertMatches("istio", "ab-header-cookie", vs);
        Assert.Equal(new RouteState(0, 100, false), IstioObjectsBuilder.ReadRoutes(vs, CanaryNames.Services(canary)));
    }

    [Fact]
    public void An_AB_match_narrows_the_service_match_with_every_condition_it_sets()
    {
        // Flagger keeps only the A/B headers here, so its /api/v2 and POST would be dropped: every path and method.
        var canary = IstioCanary(c =>
        {
            c.Spec.Analysis = new CanaryAnalysis
            {
                Interval = "1m", Iterations = 5,
                Match = [new HttpMatchRequest { Uri = new StringMatch { Prefix = "/api/v2" }, Method = new StringMatch { Exact = "POST" }, Headers = new Dictionary<string, StringMatch> { ["x-canary"] = new() { Exact = "insider" } } }],
            };
            c.Spec.Service!.Match = [new HttpMatchRequest { Uri = new StringMatch { Prefix = "/api" } }, new HttpMatchRequest { Uri = new StringMatch { Prefix = "/web" } }];
        });

        var matches = (System.Text.Json.Nodes.JsonArray)IstioObjectsBuilder.VirtualService(canary, new RouteState(0, 100, false))["spec"]!["http"]![0]!["match"]!;

        Assert.Equal(2, matches.Count);
        Assert.All(matches, m =>
        {
            Assert.Equal("/api/v2", (string?)m!["uri"]!["prefix"]);
            Assert.Equal("POST", (string?)m["method"]!["exact"]);
            Assert.Equal("insider", (string?)m["headers"]!["x-canary"]!["exact"]);
        });
    }

    [Fact]
    public void Canary_90_10()
    {
        var vs = IstioObjectsBuilder.VirtualService(IstioCanary(), new RouteState(90, 10, false));
        Assert.Equal(new RouteState(90, 10, false), IstioObjectsBuilder.ReadRoutes(vs, CanaryNames.Services(IstioCanary())));
        Golden.AssertMatches("istio", "canary-90-10", vs["spec"]!);
    }

    [Fact]
    public void Destination_rules_carry_the_traffic_policy()
    {
        var canary = IstioCanary(c => c.Spec.Service!.TrafficPolicy = new TrafficPolicy
        {
            Tls = new ClientTlsSettings { Mode = "ISTIO_MUTUAL" },
            LoadBalancer = new LoadBalancerSettings { ConsistentHash = new ConsistentHashSettings { HttpCookie = new HttpCookie { Name = "user", Ttl = "0s" } } },
            ConnectionPool = new ConnectionPoolSettings { Http = new HttpConnectionPoolSettings { Http1MaxPendingRequests = 100 } },
        });
        Golden.AssertMatches("istio", "destinationrule-primary", IstioObjectsBuilder.DestinationRule(canary, "podinfo-primary"));
    }

    [Fact]
    public void Delegation_clears_hosts_and_gateways_and_rejects_user_values()
    {
        var delegate_ = IstioObjectsBuilder.VirtualServiceSpec(IstioCanary(c => c.Spec.Service!.Delegation = true), RouteState.AllPrimary);
        Assert.Null(delegate_["hosts"]);
        Assert.Null(delegate_["gateways"]);
        Assert.Throws<TrafficRouterException>(() => IstioObjectsBuilder.VirtualServiceSpec(
            IstioCanary(c => { c.Spec.Service!.Delegation = true; c.Spec.Service.Hosts = ["x"]; }), RouteState.AllPrimary));
    }

    [Fact]
    public void Tcp_app_protocol_writes_tcp_routes()
    {
        var canary = IstioCanary(c => c.Spec.Service!.AppProtocol = "TCP");
        var spec = IstioObjectsBuilder.VirtualServiceSpec(canary, new RouteState(80, 20, false));
        Assert.Null(spec["http"]);
        Assert.Equal(20, (int)spec["tcp"]![0]!["route"]![1]!["weight"]!);
    }
}
