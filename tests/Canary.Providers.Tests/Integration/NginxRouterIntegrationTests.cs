using Canary.Providers.Routing;
using Canary.Providers.Tests.Builders;
using Microsoft.Extensions.Options;
using k8s;

namespace Canary.Providers.Tests.Integration;

[Collection(SandboxTests.Name)]
public sealed class NginxRouterIntegrationTests(SandboxFixture sandbox)
{
    [Fact]
    public async Task Reconcile_clones_the_ingress_and_weights_survive_a_spec_resync()
    {
        using var kube = sandbox.ControllerClient();
        var ns = await sandbox.NewNamespaceAsync();
        var user = CanaryIngressBuilderGoldenTests.UserIngress();
        user.Metadata.NamespaceProperty = ns;
        await sandbox.Admin.NetworkingV1.CreateNamespacedIngressAsync(user, ns);
        var canary = CanaryIngressBuilderGoldenTests.NginxCanary(c => c.Metadata.NamespaceProperty = ns);
        var router = new TrafficRouterFactory(kube, Options.Create(new TrafficRouterOptions())).Create("nginx");

        await router.ReconcileAsync(canary, CancellationToken.None);
        Assert.Equal(RouteState.AllPrimary, await router.GetRoutesAsync(canary, CancellationToken.None));

        await router.SetRoutesAsync(canary, 80, 20, false, CancellationToken.None);
        Assert.Equal(new RouteState(80, 20, false), await router.GetRoutesAsync(canary, CancellationToken.None));

        // The user edits their Ingress; the canary Ingress follows, the weight stays.
        var edited = await sandbox.Admin.NetworkingV1.ReadNamespacedIngressAsync("podinfo", ns);
        edited.Spec.Rules[0].Host = "new.example.com";
        await sandbox.Admin.NetworkingV1.ReplaceNamespacedIngressAsync(edited, "podinfo", ns);
        await router.ReconcileAsync(canary, CancellationToken.None);

        var canaryIngress = await kube.NetworkingV1.ReadNamespacedIngressAsync("podinfo-canary", ns);
        Assert.Equal("new.example.com", canaryIngress.Spec.Rules[0].Host);
        Assert.Equal("podinfo-canary", canaryIngress.Spec.Rules[0].Http.Paths[0].Backend.Service.Name);
        Assert.Equal(new RouteState(80, 20, false), await router.GetRoutesAsync(canary, CancellationToken.None));

        await router.SetRoutesAsync(canary, 100, 0, false, CancellationToken.None);
        Assert.Equal(RouteState.AllPrimary, await router.GetRoutesAsync(canary, CancellationToken.None));
    }

    [Fact]
    public async Task Missing_ingress_ref_is_a_clear_error()
    {
        using var kube = sandbox.ControllerClient();
        var ns = await sandbox.NewNamespaceAsync();
        var canary = CanaryIngressBuilderGoldenTests.NginxCanary(c => { c.Metadata.NamespaceProperty = ns; c.Spec.IngressRef = null; });
        var error = await Assert.ThrowsAsync<TrafficRouterException>(() =>
            new TrafficRouterFactory(kube, Options.Create(new TrafficRouterOptions())).Create("nginx").ReconcileAsync(canary, CancellationToken.None));
        Assert.Contains("spec.ingressRef.name is required", error.Message, StringComparison.Ordinal);
    }
}
