using Canary.Api.V1Beta1;
using Canary.Rollout.Engine;
using Canary.Rollout.Targets;
using Canary.Rollout.Tests.Targets;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using k8s;
using k8s.Models;

namespace Canary.Rollout.Tests.Sandbox;

/// <summary>The DaemonSet target against the emulated API server.</summary>
public sealed class DaemonSetTargetTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);

    private DaemonSetTarget Target() => new(new KubernetesClusterReader(sandbox.Controller), sandbox.Controller, Options.Create(new TargetOptions()), _clock);

    private async Task<CanaryResource> CreateAllAsync(string ns)
    {
        await sandbox.Client.CoreV1.CreateNamespacedConfigMapAsync(Objects.ConfigMap(ns, "agent-config", "blue"), ns);
        var ds = PrimaryDaemonSetBuilderTests.Target(parked: false);
        ds.Metadata.NamespaceProperty = ns;
        ds.Metadata.Generation = null;
        await sandbox.Client.AppsV1.CreateNamespacedDaemonSetAsync(ds, ns);
        var canary = new CanaryResource
        {
            Metadata = new V1ObjectMeta { Name = "agent", NamespaceProperty = ns },
            Spec = new CanarySpec
            {
                Provider = "kubernetes",
                TargetRef = new TargetReference { ApiVersion = "apps/v1", Kind = TargetKinds.DaemonSet, Name = "agent" },
                Service = new CanaryService { Port = 9898 },
                Analysis = new CanaryAnalysis { Interval = "10s", Threshold = 2, Iterations = 2 },
            },
        };
        return await sandbox.Client.CustomObjects.CreateNamespacedCustomObjectAsync<CanaryResource>(
            canary, CanaryApi.Group, CanaryApi.Version, ns, CanaryResource.KubePluralName);
    }

    private Task<V1DaemonSet> ReadAsync(string ns, string name = "agent") => sandbox.Client.AppsV1.ReadNamespacedDaemonSetAsync(name, ns);

    [Fact]
    public async Task Initialize_creates_the_primary_daemonset_and_config_copies_and_leaves_the_target_untouched()
    {
        var ns = await sandbox.NewNamespaceAsync();
        var canary = await CreateAllAsync(ns);
        var before = await ReadAsync(ns);
        var target = Target();

        var snapshot = await target.ObserveAsync(canary, default);
        await target.InitializeAsync(canary, snapshot, default);
        await target.InitializeAsync(canary, await target.ObserveAsync(canary, default), default);

        var primary = await ReadAsync(ns, "agent-primary");
        Assert.Equal("agent-primary", Assert.Single(primary.Spec.Selector.MatchLabels).Value);
        Assert.Equal("agent-primary", primary.Spec.Template.Metadata.Labels["app"]);
        Assert.Equal("agent-config-primary", primary.Spec.Template.Spec.Containers[0].EnvFrom[0].ConfigMapRef.Name);
        Assert.Equal(snapshot.Revision.Checksum, primary.Spec.Template.Metadata.Annotations[PrimaryDeploymentBuilder.RevisionAnnotation]);
        Assert.Equal(("Canary", "agent", true), (primary.Metadata.OwnerReferences[0].Kind, primary.Metadata.OwnerReferences[0].Name, primary.Metadata.OwnerReferences[0].Controller == true));
        Assert.Equal("blue", (await sandbox.Client.CoreV1.ReadNamespacedConfigMapAsync("agent-config-primary", ns)).Data["color"]);
        Assert.Equal(before.Metadata.ResourceVersion, (await ReadAsync(ns)).Metadata.ResourceVersion);
    }

    [Fact]
    public async Task Scale_to_zero_parks_the_pods_with_a_nodeSelector_key_only_and_is_not_a_new_revision()
    {
        var ns = await sandbox.NewNamespaceAsync();
        var canary = await CreateAllAsync(ns);
        var target = Target();
        var before = await ReadAsync(ns);
        var revision = (await target.ObserveAsync(canary, default)).Revision;

        await target.ScaleToZeroAsync(canary, default);
        var parked = await ReadAsync(ns);
        Assert.Equal("true", parked.Spec.Template.Spec.NodeSelector[DaemonSetScaleToZero.Key]);
        Assert.Equal("linux", parked.Spec.Template.Spec.NodeSelector["kubernetes.io/os"]);
        parked.Spec.Template.Spec.NodeSelector.Remove(DaemonSetScaleToZero.Key);
        Assert.Equal(Objects.Json(before.Spec), Objects.Json(parked.Spec));
        Assert.Equal(revision, (await target.ObserveAsync(canary, default)).Revision with { Configs = revision.Configs });
        Assert.Equal(revision.Checksum, (await target.ObserveAsync(canary, default)).Revision.Checksum);

        await target.ScaleToZeroAsync(canary, default);
        Assert.Equal(parked.Metadata.ResourceVersion, (await ReadAsync(ns)).Metadata.ResourceVersion);

        await target.ScaleFromZeroAsync(canary, default);
        var back = await ReadAsync(ns);
        Assert.Equal(Objects.Json(before.Spec), Objects.Json(back.Spec));
    }

    [Fact]
    public async Task Promote_copies_the_template_without_the_parking_key_and_is_idempotent()
    {
        var ns = await sandbox.NewNamespaceAsync();
        var canary = await CreateAllAsync(ns);
        var target = Target();
        await target.InitializeAsync(canary, await target.ObserveAsync(canary, default), default);
        await target.ScaleToZeroAsync(canary, default);

        var ds = await ReadAsync(ns);
        ds.Spec.Template.Spec.Containers[0].Image = "agent:2";
        await sandbox.Client.AppsV1.ReplaceNamespacedDaemonSetAsync(ds, "agent", ns);
        await target.PromoteAsync(canary, default);

        var primary = await ReadAsync(ns, "agent-primary");
        Assert.Equal("agent:2", primary.Spec.Template.Spec.Containers[0].Image);
        Assert.DoesNotContain(DaemonSetScaleToZero.Key, primary.Spec.Template.Spec.NodeSelector.Keys);
        await target.PromoteAsync(canary, default);
        Assert.Equal(primary.Metadata.ResourceVersion, (await ReadAsync(ns, "agent-primary")).Metadata.ResourceVersion);
    }

    [Fact]
    public async Task Revert_gives_the_target_its_pods_back_and_reports_its_readiness()
    {
        var ns = await sandbox.NewNamespaceAsync();
        var canary = await CreateAllAsync(ns);
        var target = Target();
        await target.ScaleToZeroAsync(canary, default);

        var readiness = await target.RevertAsync(canary, default);

        Assert.False(readiness.IsReady); // the API server alone runs no DaemonSet controller: generation not observed yet
        Assert.DoesNotContain(DaemonSetScaleToZero.Key, (await ReadAsync(ns)).Spec.Template.Spec.NodeSelector.Keys);
        var ds = await ReadAsync(ns);
        ds.Status = new V1DaemonSetStatus { ObservedGeneration = ds.Metadata.Generation, DesiredNumberScheduled = 1, UpdatedNumberScheduled = 1, NumberReady = 1, NumberAvailable = 1 };
        await sandbox.Client.AppsV1.ReplaceNamespacedDaemonSetStatusAsync(ds, "agent", ns);
        Assert.True((await target.RevertAsync(canary, default)).IsReady);
    }
}
