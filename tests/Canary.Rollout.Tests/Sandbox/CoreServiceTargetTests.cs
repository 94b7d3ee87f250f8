using Canary.Api.V1Beta1;
using Canary.Rollout.Engine;
using Canary.Rollout.Targets;
using Canary.Rollout.Tests.Targets;
using k8s;
using k8s.Models;

namespace Canary.Rollout.Tests.Sandbox;

/// <summary>The core Service target against the emulated API server.</summary>
public sealed class CoreServiceTargetTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    private CoreServiceTarget Target() => new(new KubernetesClusterReader(sandbox.Controller), sandbox.Controller);

    private async Task<CanaryResource> CreateAllAsync(string ns)
    {
        var service = ServiceCopyBuilderTests.Target();
        service.Metadata.NamespaceProperty = ns;
        service.Spec.ClusterIP = null;
        service.Spec.ClusterIPs = null;
        service.Spec.Ports[0].NodePort = null;
        await sandbox.Client.CoreV1.CreateNamespacedServiceAsync(service, ns);
        var canary = new CanaryResource
        {
            Metadata = new V1ObjectMeta { Name = "podinfo", NamespaceProperty = ns },
            Spec = new CanarySpec
            {
                Provider = "gatewayapi:v1",
                TargetRef = new TargetReference { ApiVersion = "v1", Kind = TargetKinds.Service, Name = "podinfo" },
                Service = new CanaryService { Port = 80, GatewayRefs = [new ParentReference { Name = "gw" }] },
                Analysis = new CanaryAnalysis { Interval = "10s", Threshold = 2, StepWeight = 20, MaxWeight = 40 },
            },
        };
        return await sandbox.Client.CustomObjects.CreateNamespacedCustomObjectAsync<CanaryResource>(
            canary, CanaryApi.Group, CanaryApi.Version, ns, CanaryResource.KubePluralName);
    }

    private async Task SelectAsync(string ns, string version)
    {
        var patch = "{\"spec\":{\"selector\":{\"app\":\"podinfo-" + version + "\"}}}";
        await sandbox.Client.CoreV1.PatchNamespacedServiceAsync(new V1Patch(patch, V1Patch.PatchType.MergePatch), "podinfo", ns);
    }

    private async Task<string> SelectedAsync(string ns, string name) =>
        (await sandbox.Client.CoreV1.ReadNamespacedServiceAsync(name, ns)).Spec.Selector["app"];

    [Fact]
    public async Task Initialize_copies_the_target_to_primary_and_canary_services_and_promotion_moves_the_primary()
    {
        var ns = await sandbox.NewNamespaceAsync();
        var canary = await CreateAllAsync(ns);
        var target = Target();
        var before = await sandbox.Client.CoreV1.ReadNamespacedServiceAsync("podinfo", ns);

        var snapshot = await target.ObserveAsync(canary, default);
        Assert.False(snapshot.PrimaryReadiness.IsReady);
        Assert.True(snapshot.CanaryReadiness.IsReady);
        await target.Services.InitializeAsync(canary, snapshot, default);
        await target.InitializeAsync(canary, snapshot, default);
        Assert.True((await target.ObserveAsync(canary, default)).PrimaryReadiness.IsReady);
        Assert.Equal("podinfo-blue", await SelectedAsync(ns, "podinfo-primary"));
        Assert.Equal("podinfo-blue", await SelectedAsync(ns, "podinfo-canary"));
        var primary = await sandbox.Client.CoreV1.ReadNamespacedServiceAsync("podinfo-primary", ns);
        Assert.Equal(("Canary", "podinfo"), (primary.Metadata.OwnerReferences[0].Kind, primary.Metadata.OwnerReferences[0].Name));

        // A new revision: the canary copy follows on the next tick, the primary only at promotion.
        await SelectAsync(ns, "green");
        var next = await target.ObserveAsync(canary, default);
        Assert.NotEqual(snapshot.Revision.Checksum, next.Revision.Checksum);
        await target.Services.InitializeAsync(canary, next, default);
        await target.InitializeAsync(canary, next, default);
        Assert.Equal("podinfo-green", await SelectedAsync(ns, "podinfo-canary"));
        Assert.Equal("podinfo-blue", await SelectedAsync(ns, "podinfo-primary"));

        await target.ScaleToZeroAsync(canary, default);
        await target.PromoteAsync(canary, default);
        Assert.Equal("podinfo-green", await SelectedAsync(ns, "podinfo-primary"));
        var promoted = await sandbox.Client.CoreV1.ReadNamespacedServiceAsync("podinfo-primary", ns);
        await target.PromoteAsync(canary, default);
        Assert.Equal(promoted.Metadata.ResourceVersion, (await sandbox.Client.CoreV1.ReadNamespacedServiceAsync("podinfo-primary", ns)).Metadata.ResourceVersion);

        // The user's Service is never written.
        var after = await sandbox.Client.CoreV1.ReadNamespacedServiceAsync("podinfo", ns);
        after.Spec.Selector["app"] = before.Spec.Selector["app"];
        Assert.Equal(Objects.Json(before.Spec), Objects.Json(after.Spec));
        Assert.True((await target.RevertAsync(canary, default)).IsReady);
    }
}
