using System.Text.Json.Nodes;
using Canary.Providers.Routing;
using Canary.Providers.Tests.Support;
using Microsoft.Extensions.Options;
using k8s;

namespace Canary.Providers.Tests.Integration;

[Collection(SandboxTests.Name)]
public sealed class SmiRouterIntegrationTests(SandboxFixture sandbox)
{
    [Theory]
    [InlineData("linkerd", "v1alpha1")]
    [InlineData("smi:v1alpha2", "v1alpha2")]
    [InlineData("smi:v1alpha3:linkerd", "v1alpha3")]
    public async Task Reconcile_creates_the_split_set_routes_moves_it_and_a_later_reconcile_keeps_the_weights(string provider, string version)
    {
        using var kube = sandbox.ControllerClient();
        var ns = await sandbox.NewNamespaceAsync();
        var canary = TestCanaries.Podinfo(c => c.Metadata.NamespaceProperty = ns);
        var router = new TrafficRouterFactory(kube, Options.Create(new TrafficRouterOptions())).Create(provider);

        await router.ReconcileAsync(canary, CancellationToken.None);
        Assert.Equal(RouteState.AllPrimary, await router.GetRoutesAsync(canary, CancellationToken.None));

        await router.SetRoutesAsync(canary, 70, 30, false, CancellationToken.None);
        Assert.Equal(new RouteState(70, 30, false), await router.GetRoutesAsync(canary, CancellationToken.None));

        canary.Spec.Service!.Hosts = ["podinfo.example.com"];
        await router.ReconcileAsync(canary, CancellationToken.None);
        Assert.Equal(new RouteState(70, 30, false), await router.GetRoutesAsync(canary, CancellationToken.None));
        var split = await sandbox.Admin.CustomObjects.GetNamespacedCustomObjectAsync<JsonObject>("split.smi-spec.io", version, ns, "trafficsplits", "podinfo");
        Assert.Equal("podinfo.example.com", (string?)split["spec"]!["service"]);
        Assert.Equal("Canary", (string?)split["metadata"]!["ownerReferences"]![0]!["kind"]);
    }

    [Fact]
    public async Task Routes_of_a_missing_split_name_it()
    {
        using var kube = sandbox.ControllerClient();
        var ns = await sandbox.NewNamespaceAsync();
        var router = new TrafficRouterFactory(kube, Options.Create(new TrafficRouterOptions())).Create("linkerd");

        var error = await Assert.ThrowsAsync<TrafficRouterException>(() => router.GetRoutesAsync(TestCanaries.Podinfo(c => c.Metadata.NamespaceProperty = ns), CancellationToken.None));
        Assert.Equal($"TrafficSplit podinfo.{ns} not found", error.Message);
    }
}
