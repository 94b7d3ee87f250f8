using Canary.Providers.Builders;
using Canary.Providers.Routing;
using Canary.Providers.Tests.Builders;
using Microsoft.Extensions.Options;
using k8s;

namespace Canary.Providers.Tests.Integration;

[Collection(SandboxTests.Name)]
public sealed class SkipperRouterIntegrationTests(SandboxFixture sandbox)
{
    [Fact]
    public async Task Reconcile_clones_the_ingress_weights_survive_a_resync_and_finalize_hands_traffic_back_to_the_users_ingress()
    {
        using var kube = sandbox.ControllerClient();
        var ns = await sandbox.NewNamespaceAsync();
        var user = SkipperIngressBuilderGoldenTests.UserIngress();
        user.Metadata.NamespaceProperty = ns;
        await sandbox.Admin.NetworkingV1.CreateNamespacedIngressAsync(user, ns);
        var canary = SkipperIngressBuilderGoldenTests.SkipperCanary(c => c.Metadata.NamespaceProperty = ns);
        var router = new TrafficRouterFactory(kube, Options.Create(new TrafficRouterOptions())).Create("skipper");

        await router.ReconcileAsync(canary, CancellationToken.None);
        Assert.Equal(RouteState.AllPrimary, await router.GetRoutesAsync(canary, CancellationToken.None));
        Assert.Equal("False()", (await Canary(ns)).Metadata.Annotations[SkipperIngressBuilder.Predicate]);

        await router.SetRoutesAsync(canary, 60, 40, false, CancellationToken.None);

        // The user edits their Ingress (a predicate, a host); the canary Ingress follows, the weights stay.
        var edited = await sandbox.Admin.NetworkingV1.ReadNamespacedIngressAsync("podinfo", ns);
        edited.Spec.Rules[0].Host = "new.example.com";
        edited.Metadata.Annotations[SkipperIngressBuilder.Predicate] = "Header(\"X-Beta\", \"1\")";
        await sandbox.Admin.NetworkingV1.ReplaceNamespacedIngressAsync(edited, "podinfo", ns);
        await router.ReconcileAsync(canary, CancellationToken.None);

        var canaryIngress = await Canary(ns);
        Assert.Equal("new.example.com", canaryIngress.Spec.Rules[0].Host);
        Assert.Equal(["podinfo-primary", "cdn", "podinfo-canary"], canaryIngress.Spec.Rules[0].Http.Paths.Select(p => p.Backend.Service.Name));
        Assert.Equal("Weight(100) && Header(\"X-Beta\", \"1\")", canaryIngress.Metadata.Annotations[SkipperIngressBuilder.Predicate]);
        Assert.Equal(new RouteState(60, 40, false), await router.GetRoutesAsync(canary, CancellationToken.None));

        await router.FinalizeAsync(canary, CancellationToken.None);
        Assert.Equal("False() && Header(\"X-Beta\", \"1\")", (await Canary(ns)).Metadata.Annotations[SkipperIngressBuilder.Predicate]);
    }

    private Task<k8s.Models.V1Ingress> Canary(string ns) => sandbox.Admin.NetworkingV1.ReadNamespacedIngressAsync("podinfo-canary", ns);
}
