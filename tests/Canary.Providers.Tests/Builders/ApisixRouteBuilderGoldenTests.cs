using System.Text.Json.Nodes;
using Canary.Api.V1Beta1;
using Canary.Providers.Builders;
using Canary.Providers.Routing;
using Canary.Providers.Tests.Support;

namespace Canary.Providers.Tests.Builders;

public sealed class ApisixRouteBuilderGoldenTests
{
    /// <summary>The user's ApisixRoute, as in Flagger's APISIX tutorial, with a second http route that is not the app's.</summary>
    internal static JsonObject UserRoute(string ns = TestCanaries.Namespace) => JsonNode.Parse($$"""
        {
          "apiVersion": "apisix.apache.org/v2",
          "kind": "ApisixRoute",
          "metadata": {
            "name": "podinfo-route",
            "namespace": "{{ns}}",
            "labels": { "app": "podinfo" },
            "annotations": { "kubectl.kubernetes.io/last-applied-configuration": "{}" }
          },
          "spec": {
            "http": [
              { "name": "static", "match": { "paths": ["/static/*"] }, "backends": [ { "serviceName": "cdn", "servicePort": 80 } ] },
              {
                "name": "method",
                "match": { "hosts": ["app.example.com"], "methods": ["GET"], "paths": ["/*"] },
                "backends": [ { "serviceName": "podinfo", "servicePort": 9898, "resolveGranularity": "service" } ],
                "plugins": [ { "name": "limit-count", "enable": true, "config": { "count": 100 } } ]
              }
            ]
          }
        }
        """)!.AsObject();

    internal static CanaryResource ApisixCanary(Action<CanaryResource>? configure = null) => TestCanaries.Podinfo(c =>
    {
        c.Spec.Provider = "apisix";
        c.Spec.RouteRef = new LocalObjectReference { ApiVersion = "apisix.apache.org/v2", Kind = "ApisixRoute", Name = "podinfo-route" };
        configure?.Invoke(c);
    });

    [Fact]
    public void Canary_route_at_80_20_copies_the_apps_http_route_with_priority_and_both_backends()
    {
        var canary = ApisixCanary();
        var route = ApisixRouteBuilder.Build(canary, UserRoute(), new RouteState(80, 20, false));
        Golden.AssertMatches("apisix", "canary-80-20", route);
        Assert.Equal(new RouteState(80, 20, false), ApisixRouteBuilder.ReadRoutes(canary, route));
        Assert.Equal(new RouteState(30, 70, false), ApisixRouteBuilder.ReadRoutes(canary, new JsonObject { ["spec"] = ApisixRouteBuilder.WithWeights(canary, route, new RouteState(30, 70, false)) }));
    }

    [Fact]
    public void A_route_with_two_backends_for_the_app_is_refused_with_its_name()
    {
        var user = UserRoute();
        user["spec"]!["http"]![1]!["backends"]!.AsArray().Add(new JsonObject { ["serviceName"] = "other", ["servicePort"] = 80 });
        var error = Assert.Throws<TrafficRouterException>(() => ApisixRouteBuilder.Build(ApisixCanary(), user, RouteState.AllPrimary));
        Assert.Equal("APISIX route podinfo-route.test's http route method has more than one backend; only one is supported", error.Message);
    }
}
