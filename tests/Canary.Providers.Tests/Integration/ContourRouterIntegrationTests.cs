using System.Text.Json.Nodes;
using Canary.Api.V1Beta1;
using Canary.Providers.Routing;
using Canary.Providers.Tests.Support;
using Microsoft.Extensions.Options;
using k8s;

namespace Canary.Providers.Tests.Integration;

[Collection(SandboxTests.Name)]
public sealed class ContourRouterIntegrationTests(SandboxFixture sandbox)
{
    [Fact]
    public async Task Reconcile_creates_the_proxy_set_routes_moves_it_and_a_later_reconcile_keeps_the_weights()
    {
        using var kube = sandbox.ControllerClient();
        var ns = await sandbox.NewNamespaceAsync();
        var canary = TestCanaries.Podinfo(c => c.Metadata.NamespaceProperty = ns);
        var router = new TrafficRouterFactory(kube, Options.Create(new TrafficRouterOptions())).Create("contour");

        await router.ReconcileAsync(canary, CancellationToken.None);
        Assert.Equal(RouteState.AllPrimary, await router.GetRoutesAsync(canary, CancellationToken.None));

        await router.SetRoutesAsync(canary, 60, 40, false, CancellationToken.None);
        canary.Spec.Service!.Timeout = "30s";
        await router.ReconcileAsync(canary, CancellationToken.None);

        Assert.Equal(new RouteState(60, 40, false), await router.GetRoutesAsync(canary, CancellationToken.None));
        var proxy = await sandbox.Admin.CustomObjects.GetNamespacedCustomObjectAsync<JsonObject>("projectcontour.io", "v1", ns, "httpproxies", "podinfo");
        Assert.Equal("30s", (string?)proxy["spec"]!["routes"]![0]!["timeoutPolicy"]!["response"]);
        var error = await Assert.ThrowsAsync<TrafficRouterException>(() => router.SetRoutesAsync(canary, 0, 0, false, CancellationToken.None));
        Assert.Equal($"HTTPProxy podinfo.{ns} update failed: no valid weights", error.Message);
    }

    [Fact]
    public async Task An_AB_split_round_trips_through_the_first_route()
    {
        using var kube = sandbox.ControllerClient();
        var ns = await sandbox.NewNamespaceAsync();
        var canary = TestCanaries.Podinfo(c =>
        {
            c.Metadata.NamespaceProperty = ns;
            c.Spec.Analysis = new CanaryAnalysis { Interval = "1m", Iterations = 3, Match = [new HttpMatchRequest { Headers = new Dictionary<string, StringMatch> { ["x-canary"] = new() { Exact = "1" } } }] };
        });
        var router = new TrafficRouterFactory(kube, Options.Create(new TrafficRouterOptions())).Create("contour");

        await router.ReconcileAsync(canary, CancellationToken.None);
        await router.SetRoutesAsync(canary, 0, 100, false, CancellationToken.None);

        Assert.Equal(new RouteState(0, 100, false), await router.GetRoutesAsync(canary, CancellationToken.None));
        var proxy = await sandbox.Admin.CustomObjects.GetNamespacedCustomObjectAsync<JsonObject>("projectcontour.io", "v1", ns, "httpproxies", "podinfo");
        Assert.Equal(2, proxy["spec"]!["routes"]!.AsArray().Count);
        Assert.Equal(100, (int?)proxy["spec"]!["routes"]![1]!["services"]![0]!["weight"]);
    }
}
