using System.Text.Json.Nodes;
using Canary.Providers.Routing;
using Canary.Providers.Tests.Support;
using Microsoft.Extensions.Options;
using k8s;

namespace Canary.Providers.Tests.Integration;

[Collection(SandboxTests.Name)]
public sealed class GatewayApiRouterIntegrationTests(SandboxFixture sandbox)
{
    private static CanaryResource Canary(string ns, Action<CanaryResource>? configure = null) => TestCanaries.WithGateway(c =>
    {
        c.Metadata.NamespaceProperty = ns;
        configure?.Invoke(c);
    });

    [Fact]
    public async Task Reconcile_creates_the_route_SetRoutes_moves_weights_and_Reconcile_keeps_them()
    {
        using var kube = sandbox.ControllerClient();
        var ns = await sandbox.NewNamespaceAsync();
        var router = new TrafficRouterFactory(kube, Options.Create(new TrafficRouterOptions())).Create("gatewayapi:v1");
        var canary = Canary(ns);

        await router.ReconcileAsync(canary, CancellationToken.None);
        Assert.Equal(RouteState.AllPrimary, await router.GetRoutesAsync(canary, CancellationToken.None));

        await router.SetRoutesAsync(canary, 80, 20, false, CancellationToken.None);
        Assert.Equal(new RouteState(80, 20, false), await router.GetRoutesAsync(canary, CancellationToken.None));

        // Another controller annotates the route; the user then changes the Canary (adds a timeout).
        await PatchAnnotationAsync(sandbox.Admin, ns, "application-networking.k8s.aws/lattice-assigned-domain-name", "x.aws");
        canary.Spec.Service!.Timeout = "15s";
        await router.ReconcileAsync(canary, CancellationToken.None);

        Assert.Equal(new RouteState(80, 20, false), await router.GetRoutesAsync(canary, CancellationToken.None));
        var route = await GetRouteAsync(kube, ns);
        Assert.Equal("15s", (string?)route["spec"]!["rules"]![0]!["timeouts"]!["request"]);
        Assert.Equal("x.aws", (string?)route["metadata"]!["annotations"]!["application-networking.k8s.aws/lattice-assigned-domain-name"]);
        Assert.Equal("Canary", (string?)route["metadata"]!["ownerReferences"]![0]!["kind"]);
    }

    [Fact]
    public async Task Blue_green_mirroring_round_trips_and_survives_reconcile()
    {
        using var kube = sandbox.ControllerClient();
        var ns = await sandbox.NewNamespaceAsync();
        var router = new TrafficRouterFactory(kube, Options.Create(new TrafficRouterOptions())).Create("gatewayapi:v1beta1");
        var canary = Canary(ns, TestCanaries.BlueGreenMirror);

        await router.ReconcileAsync(canary, CancellationToken.None);
        await router.SetRoutesAsync(canary, 100, 0, true, CancellationToken.None);
        await router.ReconcileAsync(canary, CancellationToken.None);

        Assert.Equal(new RouteState(100, 0, true), await router.GetRoutesAsync(canary, CancellationToken.None));
    }

    [Fact]
    public async Task GetRoutes_fails_while_a_parent_has_not_accepted_the_route()
    {
        using var kube = sandbox.ControllerClient();
        var ns = await sandbox.NewNamespaceAsync();
        var canary = Canary(ns);
        var lenient = new TrafficRouterFactory(kube, Options.Create(new TrafficRouterOptions())).Create("gatewayapi:v1");
        var strict = new TrafficRouterFactory(kube, Options.Create(new TrafficRouterOptions { GatewayApiRequireParentStatus = true })).Create("gatewayapi:v1");
        await lenient.ReconcileAsync(canary, CancellationToken.None);

        // No status yet: lenient passes (Flagger's behaviour, and the sandbox has no Gateway controller), strict waits.
        Assert.Equal(RouteState.AllPrimary, await lenient.GetRoutesAsync(canary, CancellationToken.None));
        await Assert.ThrowsAsync<TrafficRouterException>(() => strict.GetRoutesAsync(canary, CancellationToken.None));

        await SetParentStatusAsync(sandbox.Admin, ns, "False");
        var error = await Assert.ThrowsAsync<TrafficRouterException>(() => lenient.GetRoutesAsync(canary, CancellationToken.None));
        Assert.Contains("parent gateway is not ready (status: False", error.Message, StringComparison.Ordinal);

        await SetParentStatusAsync(sandbox.Admin, ns, "True");
        Assert.Equal(RouteState.AllPrimary, await strict.GetRoutesAsync(canary, CancellationToken.None));
    }

    [Fact]
    public async Task Missing_gateway_refs_fail_reconcile_with_a_clear_message()
    {
        using var kube = sandbox.ControllerClient();
        var ns = await sandbox.NewNamespaceAsync();
        var canary = Canary(ns, c => c.Spec.Service!.GatewayRefs = null);
        var error = await Assert.ThrowsAsync<TrafficRouterException>(() =>
            new TrafficRouterFactory(kube, Options.Create(new TrafficRouterOptions())).Create("gatewayapi").ReconcileAsync(canary, CancellationToken.None));
        Assert.Contains("gatewayRefs must be specified", error.Message, StringComparison.Ordinal);
    }

    internal static Task<JsonObject> GetRouteAsync(IKubernetes kube, string ns) =>
        kube.CustomObjects.GetNamespacedCustomObjectAsync<JsonObject>("gateway.networking.k8s.io", "v1", ns, "httproutes", "podinfo");

    private static async Task PatchAnnotationAsync(IKubernetes kube, string ns, string key, string value)
    {
        var route = await GetRouteAsync(kube, ns);
        var metadata = route["metadata"]!.AsObject();
        metadata["annotations"] ??= new JsonObject();
        metadata["annotations"]![key] = value;
        await kube.CustomObjects.ReplaceNamespacedCustomObjectAsync<JsonObject>(route, "gateway.networking.k8s.io", "v1", ns, "httproutes", "podinfo");
    }

    // Written as a Gateway controller would (no status subresource on the test CRD, so a plain replace carries it).
    private static async Task SetParentStatusAsync(IKubernetes kube, string ns, string accepted)
    {
        var route = await GetRouteAsync(kube, ns);
        var generation = (long?)route["metadata"]!["generation"] ?? 1;
        route["status"] = new JsonObject
        {
            ["parents"] = new JsonArray(new JsonObject
            {
                ["controllerName"] = "example.com/gateway-controller",
                ["parentRef"] = new JsonObject { ["group"] = "gateway.networking.k8s.io", ["kind"] = "Gateway", ["name"] = "gateway", ["namespace"] = "istio-ingress" },
                ["conditions"] = new JsonArray(new JsonObject
                {
                    ["type"] = "Accepted",
                    ["status"] = accepted,
                    ["reason"] = accepted == "True" ? "Accepted" : "NotAllowedByListeners",
                    ["observedGeneration"] = generation,
                    ["lastTransitionTime"] = "2026-01-01T00:00:00Z",
                    ["message"] = string.Empty,
                }),
            }),
        };
        await kube.CustomObjects.ReplaceNamespacedCustomObjectAsync<JsonObject>(route, "gateway.networking.k8s.io", "v1", ns, "httproutes", "podinfo");
    }
}
