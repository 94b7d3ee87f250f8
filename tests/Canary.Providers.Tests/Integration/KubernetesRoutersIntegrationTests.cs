using Canary.Providers.Naming;
using Canary.Providers.Routing;
using Canary.Providers.Services;
using Canary.Providers.Tests.Support;
using Microsoft.Extensions.Options;
using k8s;
using k8s.Models;

namespace Canary.Providers.Tests.Integration;

[Collection(SandboxTests.Name)]
public sealed class KubernetesRoutersIntegrationTests(SandboxFixture sandbox)
{
    private static readonly TargetSelector Selector = new("app", "podinfo");
    private static readonly ServiceTarget Target = new(Selector);

    private static CanaryResource Canary(string ns) => TestCanaries.Podinfo(c =>
    {
        c.Metadata.NamespaceProperty = ns;
        c.Spec.Provider = "kubernetes";
    });

    [Fact]
    public async Task Initialize_and_Reconcile_create_owned_services_with_Flagger_selectors()
    {
        using var kube = sandbox.ControllerClient();
        var ns = await sandbox.NewNamespaceAsync();
        var services = new TrafficRouterFactory(kube, Options.Create(new TrafficRouterOptions())).CreateServiceRouter();
        var canary = Canary(ns);

        await services.InitializeAsync(canary, Target, CancellationToken.None);
        await services.ReconcileAsync(canary, Target, CancellationToken.None);
        await services.ReconcileAsync(canary, Target, CancellationToken.None); // idempotent

        var apex = await kube.CoreV1.ReadNamespacedServiceAsync("podinfo", ns);
        var primary = await kube.CoreV1.ReadNamespacedServiceAsync("podinfo-primary", ns);
        var canarySvc = await kube.CoreV1.ReadNamespacedServiceAsync("podinfo-canary", ns);
        Assert.Equal("podinfo-primary", apex.Spec.Selector["app"]);
        Assert.Equal("podinfo-primary", primary.Spec.Selector["app"]);
        Assert.Equal("podinfo", canarySvc.Spec.Selector["app"]);
        Assert.All([apex, primary, canarySvc], s => Assert.True(s.Metadata.OwnerReferences.Single().Controller));
        Assert.All([apex, primary, canarySvc], s => Assert.Equal("disabled", s.Metadata.Annotations["kustomize.toolkit.fluxcd.io/reconcile"]));
        Assert.All([apex, primary, canarySvc], s => Assert.Equal("disabled", s.Metadata.Annotations["helm.toolkit.fluxcd.io/driftDetection"]));
    }

    [Fact]
    public async Task A_user_owned_apex_is_taken_over_with_Flux_kept_away_and_given_back_to_Flux_by_Finalize()
    {
        using var kube = sandbox.ControllerClient();
        var ns = await sandbox.NewNamespaceAsync();
        await sandbox.Admin.CoreV1.CreateNamespacedServiceAsync(
            new V1Service
            {
                Metadata = new V1ObjectMeta
                {
                    Name = "podinfo",
                    // The user's own Helm marker stays after the Canary goes; only the controller's are removed.
                    Annotations = new Dictionary<string, string> { ["owner"] = "user", ["helm.toolkit.fluxcd.io/driftDetection"] = "disabled" },
                },
                Spec = new V1ServiceSpec
                {
                    Selector = new Dictionary<string, string> { ["app"] = "podinfo" },
                    Ports = [new V1ServicePort { Name = "http", Port = 9898, TargetPort = 9898, Protocol = "TCP" }],
                },
            },
            ns);
        var services = new TrafficRouterFactory(kube, Options.Create(new TrafficRouterOptions())).CreateServiceRouter();
        var canary = Canary(ns);

        await services.ReconcileAsync(canary, Target, CancellationToken.None);
        var taken = await kube.CoreV1.ReadNamespacedServiceAsync("podinfo", ns);
        Assert.Equal("podinfo-primary", taken.Spec.Selector["app"]);
        Assert.Equal("user", taken.Metadata.Annotations["owner"]);
        Assert.Null(taken.Metadata.OwnerReferences);
        Assert.Equal("disabled", taken.Metadata.Annotations["kustomize.toolkit.fluxcd.io/reconcile"]);
        Assert.Equal("kustomize.toolkit.fluxcd.io/reconcile", taken.Metadata.Annotations["canary.dev/gitops-markers-added"]);

        await services.FinalizeAsync(canary, Selector, CancellationToken.None);
        var restored = await kube.CoreV1.ReadNamespacedServiceAsync("podinfo", ns);
        Assert.Equal("podinfo", restored.Spec.Selector["app"]);
        Assert.Equal("user", restored.Metadata.Annotations["owner"]);
        Assert.Equal("disabled", restored.Metadata.Annotations["helm.toolkit.fluxcd.io/driftDetection"]);
        Assert.False(restored.Metadata.Annotations.ContainsKey("kustomize.toolkit.fluxcd.io/reconcile"));
        Assert.False(restored.Metadata.Annotations.ContainsKey("canary.dev/gitops-markers-added"));
    }

    [Fact]
    public async Task Kubernetes_provider_switches_the_apex_selector_and_reconcile_keeps_the_switch()
    {
        using var kube = sandbox.ControllerClient();
        var ns = await sandbox.NewNamespaceAsync();
        var factory = new TrafficRouterFactory(kube, Options.Create(new TrafficRouterOptions()));
        var services = factory.CreateServiceRouter();
        var router = factory.Create("kubernetes");
        var canary = Canary(ns);
        await services.InitializeAsync(canary, Target, CancellationToken.None);
        await services.ReconcileAsync(canary, Target, CancellationToken.None);
        await router.ReconcileAsync(canary, CancellationToken.None);
        Assert.Equal(RouteState.AllPrimary, await router.GetRoutesAsync(canary, CancellationToken.None));

        await router.SetRoutesAsync(canary, 0, 100, false, CancellationToken.None);
        await services.ReconcileAsync(canary, Target, CancellationToken.None);

        Assert.Equal(new RouteState(0, 100, false), await router.GetRoutesAsync(canary, CancellationToken.None));
        Assert.Equal("podinfo", (await kube.CoreV1.ReadNamespacedServiceAsync("podinfo", ns)).Spec.Selector["app"]);

        await router.SetRoutesAsync(canary, 100, 0, false, CancellationToken.None);
        Assert.Equal(RouteState.AllPrimary, await router.GetRoutesAsync(canary, CancellationToken.None));
        Assert.Equal("podinfo-primary", (await kube.CoreV1.ReadNamespacedServiceAsync("podinfo", ns)).Spec.Selector["app"]);

        await Assert.ThrowsAsync<TrafficRouterException>(() => router.SetRoutesAsync(canary, 80, 20, false, CancellationToken.None));
        await Assert.ThrowsAsync<TrafficRouterException>(() => router.SetRoutesAsync(canary, 100, 0, true, CancellationToken.None));
    }
}
