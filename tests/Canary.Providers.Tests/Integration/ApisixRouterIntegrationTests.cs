using System.Text.Json.Nodes;
using Canary.Providers.Routing;
using Canary.Providers.Tests.Builders;
using Microsoft.Extensions.Options;
using k8s;

namespace Canary.Providers.Tests.Integration;

[Collection(SandboxTests.Name)]
public sealed class ApisixRouterIntegrationTests(SandboxFixture sandbox)
{
    [Fact]
    public async Task The_canary_route_follows_the_users_route_and_keeps_its_weights()
    {
        using var kube = sandbox.ControllerClient();
        var ns = await sandbox.NewNamespaceAsync();
        await sandbox.Admin.CustomObjects.CreateNamespacedCustomObjectAsync(ApisixRouteBuilderGoldenTests.UserRoute(ns), "apisix.apache.org", "v2", ns, "apisixroutes");
        var canary = ApisixRouteBuilderGoldenTests.ApisixCanary(c => c.Metadata.NamespaceProperty = ns);
        var router = new TrafficRouterFactory(kube, Options.Create(new TrafficRouterOptions())).Create("apisix");

        await router.ReconcileAsync(canary, CancellationToken.None);
        Assert.Equal(RouteState.AllPrimary, await router.GetRoutesAsync(canary, CancellationToken.None));
        await router.SetRoutesAsync(canary, 60, 40, false, CancellationToken.None);

        // The user changes their route's paths; the copy follows, the weights stay.
        var user = await RouteAsync(ns, "podinfo-route");
        user["spec"]!["http"]![1]!["match"]!["paths"] = new JsonArray("/api/*");
        await sandbox.Admin.CustomObjects.ReplaceNamespacedCustomObjectAsync(user, "apisix.apache.org", "v2", ns, "apisixroutes", "podinfo-route");
        await router.ReconcileAsync(canary, CancellationToken.None);

        Assert.Equal(new RouteState(60, 40, false), await router.GetRoutesAsync(canary, CancellationToken.None));
        var copy = await RouteAsync(ns, "podinfo-route-podinfo-canary");
        Assert.Equal("/api/*", (string?)copy["spec"]!["http"]![0]!["match"]!["paths"]![0]);
        var error = await Assert.ThrowsAsync<TrafficRouterException>(() => router.SetRoutesAsync(canary, 0, 0, false, CancellationToken.None));
        Assert.Equal($"APISIX route podinfo-route-podinfo-canary.{ns} update failed: no valid weights", error.Message);
    }

    [Fact]
    public async Task Without_routeRef_the_error_names_the_field()
    {
        using var kube = sandbox.ControllerClient();
        var canary = ApisixRouteBuilderGoldenTests.ApisixCanary(c => c.Spec.RouteRef = null);
        var router = new TrafficRouterFactory(kube, Options.Create(new TrafficRouterOptions())).Create("apisix");

        var error = await Assert.ThrowsAsync<TrafficRouterException>(() => router.ReconcileAsync(canary, CancellationToken.None));
        Assert.Equal("canary podinfo.test: spec.routeRef.name is required by the apisix provider", error.Message);
    }

    private Task<JsonObject> RouteAsync(string ns, string name) =>
        sandbox.Admin.CustomObjects.GetNamespacedCustomObjectAsync<JsonObject>("apisix.apache.org", "v2", ns, "apisixroutes", name);
}
