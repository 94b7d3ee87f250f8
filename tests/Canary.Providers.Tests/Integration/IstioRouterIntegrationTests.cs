using System.Text.Json.Nodes;
using Canary.Api.V1Beta1;
using Canary.Providers.Routing;
using Canary.Providers.Tests.Builders;
using Microsoft.Extensions.Options;
using k8s;

namespace Canary.Providers.Tests.Integration;

[Collection(SandboxTests.Name)]
public sealed class IstioRouterIntegrationTests(SandboxFixture sandbox)
{
    private const string Group = "networking.istio.io";

    [Fact]
    public async Task Reconcile_creates_virtual_service_and_rules_and_keeps_weights_and_mirror()
    {
        using var kube = sandbox.ControllerClient();
        var ns = await sandbox.NewNamespaceAsync();
        var canary = IstioObjectsBuilderGoldenTests.IstioCanary(c => c.Metadata.NamespaceProperty = ns);
        var router = new TrafficRouterFactory(kube, Options.Create(new TrafficRouterOptions())).Create("istio");

        await router.ReconcileAsync(canary, CancellationToken.None);
        Assert.Equal(RouteState.AllPrimary, await router.GetRoutesAsync(canary, CancellationToken.None));
        var rule = await kube.CustomObjects.GetNamespacedCustomObjectAsync<JsonObject>(Group, "v1beta1", ns, "destinationrules", "podinfo-canary");
        Assert.Equal("podinfo-canary", (string?)rule["spec"]!["host"]);

        await router.SetRoutesAsync(canary, 80, 20, false, CancellationToken.None);
        Assert.Equal(new RouteState(80, 20, false), await router.GetRoutesAsync(canary, CancellationToken.None));

        canary.Spec.Service!.Timeout = "5s";
        canary.Spec.Service.TrafficPolicy = new TrafficPolicy { Tls = new ClientTlsSettings { Mode = "ISTIO_MUTUAL" } };
        await router.ReconcileAsync(canary, CancellationToken.None);
        Assert.Equal(new RouteState(80, 20, false), await router.GetRoutesAsync(canary, CancellationToken.None));
        var vs = await GetVirtualServiceAsync(kube, ns);
        Assert.Equal("5s", (string?)vs["spec"]!["http"]![0]!["timeout"]);
        rule = await kube.CustomObjects.GetNamespacedCustomObjectAsync<JsonObject>(Group, "v1beta1", ns, "destinationrules", "podinfo-canary");
        Assert.Equal("ISTIO_MUTUAL", (string?)rule["spec"]!["trafficPolicy"]!["tls"]!["mode"]);

        await router.SetRoutesAsync(canary, 100, 0, true, CancellationToken.None);
        await router.ReconcileAsync(canary, CancellationToken.None);
        Assert.Equal(new RouteState(100, 0, true), await router.GetRoutesAsync(canary, CancellationToken.None));
    }

    [Fact]
    public async Task A_user_virtual_service_is_taken_over_and_restored_by_Finalize()
    {
        using var kube = sandbox.ControllerClient();
        var ns = await sandbox.NewNamespaceAsync();
        var userSpec = new JsonObject
        {
            ["hosts"] = new JsonArray("podinfo"),
            ["http"] = new JsonArray(new JsonObject { ["route"] = new JsonArray(new JsonObject { ["destination"] = new JsonObject { ["host"] = "podinfo" } }) }),
        };
        await sandbox.Admin.CustomObjects.CreateNamespacedCustomObjectAsync<JsonObject>(
            new JsonObject
            {
                ["apiVersion"] = "networking.istio.io/v1beta1",
                ["kind"] = "VirtualService",
                ["metadata"] = new JsonObject { ["name"] = "podinfo", ["namespace"] = ns },
                ["spec"] = userSpec.DeepClone(),
            },
            Group, "v1beta1", ns, "virtualservices");
        var canary = IstioObjectsBuilderGoldenTests.IstioCanary(c => c.Metadata.NamespaceProperty = ns);
        var router = new TrafficRouterFactory(kube, Options.Create(new TrafficRouterOptions())).Create("istio");

        await router.ReconcileAsync(canary, CancellationToken.None);
        Assert.Equal(RouteState.AllPrimary, await router.GetRoutesAsync(canary, CancellationToken.None));

        await router.FinalizeAsync(canary, CancellationToken.None);
        var restored = await GetVirtualServiceAsync(kube, ns);
        Assert.True(JsonNode.DeepEquals(userSpec, restored["spec"]), restored.ToJsonString());
        Assert.Null(restored["metadata"]!["annotations"]?["flagger.kubernetes.io/original-configuration"]);
    }

    private static Task<JsonObject> GetVirtualServiceAsync(IKubernetes kube, string ns) =>
        kube.CustomObjects.GetNamespacedCustomObjectAsync<JsonObject>(Group, "v1beta1", ns, "virtualservices", "podinfo");
}
