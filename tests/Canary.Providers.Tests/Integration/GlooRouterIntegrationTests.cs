using System.Text.Json.Nodes;
using Canary.Api.V1Beta1;
using Canary.Providers.Routing;
using Canary.Providers.Tests.Builders;
using Canary.Providers.Tests.Support;
using Microsoft.Extensions.Options;
using k8s;
using k8s.Models;

namespace Canary.Providers.Tests.Integration;

[Collection(SandboxTests.Name)]
public sealed class GlooRouterIntegrationTests(SandboxFixture sandbox)
{
    [Fact]
    public async Task Upstreams_follow_the_config_upstream_and_the_route_table_keeps_its_weights_across_reconciles()
    {
        using var kube = sandbox.ControllerClient();
        var ns = await sandbox.NewNamespaceAsync();
        foreach (var name in new[] { "podinfo-primary", "podinfo-canary" })
        {
            await sandbox.Admin.CoreV1.CreateNamespacedServiceAsync(new V1Service
            {
                Metadata = new V1ObjectMeta { Name = name },
                Spec = new V1ServiceSpec { Selector = new Dictionary<string, string> { ["app"] = name == "podinfo-primary" ? "podinfo-primary" : "podinfo" }, Ports = [new V1ServicePort { Port = 9898 }] },
            }, ns);
        }

        var config = GlooObjectsBuilderGoldenTests.ConfigUpstream();
        config["metadata"]!["namespace"] = ns;
        await sandbox.Admin.CustomObjects.CreateNamespacedCustomObjectAsync(config, "gloo.solo.io", "v1", ns, "upstreams");
        var canary = TestCanaries.Podinfo(c =>
        {
            c.Metadata.NamespaceProperty = ns;
            c.Spec.UpstreamRef = new CrossNamespaceObjectReference { Name = "podinfo-config" };
        });
        var router = new TrafficRouterFactory(kube, Options.Create(new TrafficRouterOptions())).Create("gloo");

        await router.ReconcileAsync(canary, CancellationToken.None);
        Assert.Equal(RouteState.AllPrimary, await router.GetRoutesAsync(canary, CancellationToken.None));
        var primary = await UpstreamAsync(ns, $"{ns}-podinfo-primaryupstream-9898");
        Assert.Equal("podinfo-primary", (string?)primary["spec"]!["kube"]!["selector"]!["app"]);
        Assert.True((bool?)primary["spec"]!["useHttp2"]);

        await router.SetRoutesAsync(canary, 60, 40, false, CancellationToken.None);
        config = await UpstreamAsync(ns, "podinfo-config");
        config["spec"]!["useHttp2"] = false;
        await sandbox.Admin.CustomObjects.ReplaceNamespacedCustomObjectAsync(config, "gloo.solo.io", "v1", ns, "upstreams", "podinfo-config");
        await router.ReconcileAsync(canary, CancellationToken.None);

        Assert.Equal(new RouteState(60, 40, false), await router.GetRoutesAsync(canary, CancellationToken.None));
        Assert.False((bool?)(await UpstreamAsync(ns, $"{ns}-podinfo-canaryupstream-9898"))["spec"]!["useHttp2"]);
        var error = await Assert.ThrowsAsync<TrafficRouterException>(() => router.SetRoutesAsync(canary, 0, 0, false, CancellationToken.None));
        Assert.Equal($"RouteTable podinfo.{ns} update failed: no valid weights", error.Message);
    }

    [Fact]
    public async Task A_missing_config_upstream_is_an_error_naming_upstreamRef()
    {
        using var kube = sandbox.ControllerClient();
        var ns = await sandbox.NewNamespaceAsync();
        var canary = TestCanaries.Podinfo(c =>
        {
            c.Metadata.NamespaceProperty = ns;
            c.Spec.UpstreamRef = new CrossNamespaceObjectReference { Name = "missing", Namespace = "gloo-system" };
        });
        var router = new TrafficRouterFactory(kube, Options.Create(new TrafficRouterOptions())).Create("gloo");

        var error = await Assert.ThrowsAsync<TrafficRouterException>(() => router.ReconcileAsync(canary, CancellationToken.None));
        Assert.Equal("upstream missing.gloo-system not found (spec.upstreamRef)", error.Message);
    }

    private Task<JsonObject> UpstreamAsync(string ns, string name) =>
        sandbox.Admin.CustomObjects.GetNamespacedCustomObjectAsync<JsonObject>("gloo.solo.io", "v1", ns, "upstreams", name);
}
