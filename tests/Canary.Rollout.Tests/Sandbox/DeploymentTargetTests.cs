using Canary.Api.V1Beta1;
using Canary.Rollout.Engine;
using Canary.Rollout.StateMachine;
using Canary.Rollout.Targets;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using k8s;
using k8s.Models;

namespace Canary.Rollout.Tests.Sandbox;

/// <summary>Targets and Revisions against the emulated API server.</summary>
public sealed class DeploymentTargetTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);

    private DeploymentTarget Target() => new(new KubernetesClusterReader(sandbox.Controller), sandbox.Controller, Options.Create(new TargetOptions()), _clock);

    [Fact]
    public async Task Initialize_creates_the_primary_clone_config_copies_and_hpa_and_leaves_the_target_untouched()
    {
        var ns = await sandbox.NewNamespaceAsync();
        var canary = await Objects.CreateAllAsync(sandbox.Client, ns);
        var before = await sandbox.Client.AppsV1.ReadNamespacedDeploymentAsync("podinfo", ns);
        var target = Target();

        var snapshot = await target.ObserveAsync(canary, default);
        await target.InitializeAsync(canary, snapshot, default);

        var primary = await sandbox.Client.AppsV1.ReadNamespacedDeploymentAsync("podinfo-primary", ns);
        Assert.Equal("podinfo-primary", primary.Spec.Selector.MatchLabels["app"]);
        Assert.Single(primary.Spec.Selector.MatchLabels);
        Assert.Equal("podinfo-primary", primary.Metadata.Labels["app"]);
        Assert.Equal("web", primary.Metadata.Labels["team"]);
        Assert.DoesNotContain("kustomize.toolkit.fluxcd.io/name", primary.Metadata.Labels.Keys);
        Assert.Equal("podinfo-primary", primary.Spec.Template.Metadata.Labels["app"]);
        Assert.Equal("v1", primary.Spec.Template.Metadata.Labels["version"]);
        Assert.Equal(2, primary.Spec.Replicas);
        Assert.Equal(3, primary.Spec.MinReadySeconds);
        Assert.Equal(snapshot.Revision.Checksum, primary.Spec.Template.Metadata.Annotations[PrimaryDeploymentBuilder.RevisionAnnotation]);

        var container = primary.Spec.Template.Spec.Containers.Single();
        Assert.Equal("podinfo-config-primary", container.EnvFrom.Single().ConfigMapRef.Name);
        Assert.Equal("podinfo-secret-primary", container.Env.Single().ValueFrom.SecretKeyRef.Name);
        Assert.Equal("shared-config", primary.Spec.Template.Spec.Volumes.Single().ConfigMap.Name); // tracking disabled: shared
        Assert.Equal("podinfo-primary", primary.Spec.Template.Spec.Affinity.PodAntiAffinity.PreferredDuringSchedulingIgnoredDuringExecution.Single().PodAffinityTerm.LabelSelector.MatchLabels["app"]);

        var owner = primary.Metadata.OwnerReferences.Single();
        Assert.Equal(("Canary", "podinfo", canary.Metadata.Uid, true), (owner.Kind, owner.Name, owner.Uid, owner.Controller == true));

        var configCopy = await sandbox.Client.CoreV1.ReadNamespacedConfigMapAsync("podinfo-config-primary", ns);
        Assert.Equal("blue", configCopy.Data["color"]);
        Assert.Equal("Canary", configCopy.Metadata.OwnerReferences.Single().Kind);
        var secretCopy = await sandbox.Client.CoreV1.ReadNamespacedSecretAsync("podinfo-secret-primary", ns);
        Assert.Equal("s3cr3t"u8.ToArray(), secretCopy.Data["token"]);
        var configs = await sandbox.Client.CoreV1.ListNamespacedConfigMapAsync(ns);
        Assert.DoesNotContain(configs.Items, c => c.Metadata.Name == "shared-config-primary");

        var hpa = await sandbox.Client.AutoscalingV2.ReadNamespacedHorizontalPodAutoscalerAsync("podinfo-primary", ns);
        Assert.Equal("podinfo-primary", hpa.Spec.ScaleTargetRef.Name);
        Assert.Equal((2, 4), (hpa.Spec.MinReplicas, hpa.Spec.MaxReplicas));
        Assert.Equal(80, hpa.Spec.Metrics.Single().Resource.Target.AverageUtilization);

        var after = await sandbox.Client.AppsV1.ReadNamespacedDeploymentAsync("podinfo", ns);
        Assert.Equal(Objects.Json(before.Spec), Objects.Json(after.Spec));
        Assert.Equal(before.Metadata.ResourceVersion, after.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task Scale_to_zero_and_back_changes_only_the_target_replicas()
    {
        var ns = await sandbox.NewNamespaceAsync();
        var canary = await Objects.CreateAllAsync(sandbox.Client, ns);
        var target = Target();
        await target.InitializeAsync(canary, await target.ObserveAsync(canary, default), default);
        var before = await sandbox.Client.AppsV1.ReadNamespacedDeploymentAsync("podinfo", ns);

        await target.ScaleToZeroAsync(canary, default);
        var scaled = await sandbox.Client.AppsV1.ReadNamespacedDeploymentAsync("podinfo", ns);
        Assert.Equal(0, scaled.Spec.Replicas);
        scaled.Spec.Replicas = before.Spec.Replicas;
        Assert.Equal(Objects.Json(before.Spec), Objects.Json(scaled.Spec));
        Assert.Equal(Objects.Json(before.Metadata.Labels), Objects.Json(scaled.Metadata.Labels));
        Assert.Equal(Objects.Json(before.Metadata.Annotations), Objects.Json(scaled.Metadata.Annotations));

        await target.ScaleToZeroAsync(canary, default);
        Assert.Equal(scaled.Metadata.ResourceVersion, (await sandbox.Client.AppsV1.ReadNamespacedDeploymentAsync("podinfo", ns)).Metadata.ResourceVersion);

        await target.ScaleFromZeroAsync(canary, default);
        Assert.Equal(2, (await sandbox.Client.AppsV1.ReadNamespacedDeploymentAsync("podinfo", ns)).Spec.Replicas); // HPA minReplicas
    }

    [Fact]
    public async Task Revert_scales_the_users_deployment_up_to_the_primary_and_never_down()
    {
        var ns = await sandbox.NewNamespaceAsync();
        var canary = await Objects.CreateAllAsync(sandbox.Client, ns, withHpa: false);
        var target = Target();
        await target.InitializeAsync(canary, await target.ObserveAsync(canary, default), default);
        await sandbox.Client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch("{\"spec\":{\"replicas\":4}}", V1Patch.PatchType.MergePatch), "podinfo-primary", ns);
        await target.ScaleToZeroAsync(canary, default);

        await target.RevertAsync(canary, default);
        Assert.Equal(4, (await sandbox.Client.AppsV1.ReadNamespacedDeploymentAsync("podinfo", ns)).Spec.Replicas);

        // A second revert after the primary went (garbage collection after the first) keeps the user's count.
        await sandbox.Client.AppsV1.DeleteNamespacedDeploymentAsync("podinfo-primary", ns);
        await target.RevertAsync(canary, default);
        Assert.Equal(4, (await sandbox.Client.AppsV1.ReadNamespacedDeploymentAsync("podinfo", ns)).Spec.Replicas);
    }

    [Fact]
    public async Task Revision_changes_with_the_pod_template_or_a_tracked_config_but_not_with_replicas()
    {
        var ns = await sandbox.NewNamespaceAsync();
        var canary = await Objects.CreateAllAsync(sandbox.Client, ns);
        var target = Target();
        var first = (await target.ObserveAsync(canary, default)).Revision;
        Assert.Equal(["configmap/podinfo-config", "secret/podinfo-secret"], first.Configs.Keys.Order(StringComparer.Ordinal));

        await target.ScaleToZeroAsync(canary, default);
        Assert.Equal(first, (await target.ObserveAsync(canary, default)).Revision with { Configs = first.Configs });
        Assert.Equal(first.Checksum, (await target.ObserveAsync(canary, default)).Revision.Checksum);

        var config = await sandbox.Client.CoreV1.ReadNamespacedConfigMapAsync("podinfo-config", ns);
        config.Data["color"] = "green";
        await sandbox.Client.CoreV1.ReplaceNamespacedConfigMapAsync(config, "podinfo-config", ns);
        var second = (await target.ObserveAsync(canary, default)).Revision;
        Assert.Equal(first.SpecHash, second.SpecHash);
        Assert.NotEqual(first.Configs["configmap/podinfo-config"], second.Configs["configmap/podinfo-config"]);
        Assert.Equal(first.Configs["secret/podinfo-secret"], second.Configs["secret/podinfo-secret"]);

        var deployment = await sandbox.Client.AppsV1.ReadNamespacedDeploymentAsync("podinfo", ns);
        deployment.Spec.Template.Spec.Containers[0].Image = "ghcr.io/stefanprodan/podinfo:6.0.1";
        await sandbox.Client.AppsV1.ReplaceNamespacedDeploymentAsync(deployment, "podinfo", ns);
        Assert.NotEqual(second.SpecHash, (await target.ObserveAsync(canary, default)).Revision.SpecHash);
    }

    [Fact]
    public async Task Promote_copies_the_template_and_configs_and_is_idempotent()
    {
        var ns = await sandbox.NewNamespaceAsync();
        var canary = await Objects.CreateAllAsync(sandbox.Client, ns);
        var target = Target();
        await target.InitializeAsync(canary, await target.ObserveAsync(canary, default), default);

        var deployment = await sandbox.Client.AppsV1.ReadNamespacedDeploymentAsync("podinfo", ns);
        deployment.Spec.Template.Spec.Containers[0].Image = "ghcr.io/stefanprodan/podinfo:6.0.1";
        await sandbox.Client.AppsV1.ReplaceNamespacedDeploymentAsync(deployment, "podinfo", ns);
        var config = await sandbox.Client.CoreV1.ReadNamespacedConfigMapAsync("podinfo-config", ns);
        config.Data["color"] = "green";
        await sandbox.Client.CoreV1.ReplaceNamespacedConfigMapAsync(config, "podinfo-config", ns);
        var secret = await sandbox.Client.CoreV1.ReadNamespacedSecretAsync("podinfo-secret", ns);
        secret.Data["token"] = "r0tated"u8.ToArray();
        await sandbox.Client.CoreV1.ReplaceNamespacedSecretAsync(secret, "podinfo-secret", ns);
        var hpa = await sandbox.Client.AutoscalingV2.ReadNamespacedHorizontalPodAutoscalerAsync("podinfo", ns);
        hpa.Spec.MaxReplicas = 6;
        await sandbox.Client.AutoscalingV2.ReplaceNamespacedHorizontalPodAutoscalerAsync(hpa, "podinfo", ns);

        await target.PromoteAsync(canary, default);
        await target.ReconcilePrimaryScalerAsync(canary, default);
        Assert.Equal("r0tated"u8.ToArray(), (await sandbox.Client.CoreV1.ReadNamespacedSecretAsync("podinfo-secret-primary", ns)).Data["token"]);
        Assert.Equal(6, (await sandbox.Client.AutoscalingV2.ReadNamespacedHorizontalPodAutoscalerAsync("podinfo-primary", ns)).Spec.MaxReplicas);
        var primary = await sandbox.Client.AppsV1.ReadNamespacedDeploymentAsync("podinfo-primary", ns);
        Assert.Equal("ghcr.io/stefanprodan/podinfo:6.0.1", primary.Spec.Template.Spec.Containers[0].Image);
        Assert.Equal("podinfo-config-primary", primary.Spec.Template.Spec.Containers[0].EnvFrom.Single().ConfigMapRef.Name);
        Assert.Equal("podinfo-primary", primary.Spec.Selector.MatchLabels["app"]);
        Assert.Equal("green", (await sandbox.Client.CoreV1.ReadNamespacedConfigMapAsync("podinfo-config-primary", ns)).Data["color"]);

        await target.PromoteAsync(canary, default);
        Assert.Equal(primary.Metadata.ResourceVersion, (await sandbox.Client.AppsV1.ReadNamespacedDeploymentAsync("podinfo-primary", ns)).Metadata.ResourceVersion);
    }

    [Fact]
    public async Task Readiness_follows_the_deployment_status()
    {
        var ns = await sandbox.NewNamespaceAsync();
        var canary = await Objects.CreateAllAsync(sandbox.Client, ns, withHpa: false);
        var target = Target();
        await target.InitializeAsync(canary, await target.ObserveAsync(canary, default), default);

        var waiting = await target.ObserveAsync(canary, default);
        Assert.Equal(ReadinessState.Waiting, waiting.PrimaryReadiness.State);
        Assert.StartsWith($"podinfo-primary.{ns} not ready: waiting for rollout to finish", waiting.PrimaryReadiness.Message, StringComparison.Ordinal);

        await Objects.MarkReadyAsync(sandbox.Client, ns, "podinfo-primary");
        Assert.True((await target.ObserveAsync(canary, default)).PrimaryReadiness.IsReady);
    }

    [Fact]
    public async Task Missing_target_is_reported_as_a_target_exception()
    {
        var ns = await sandbox.NewNamespaceAsync();
        var canary = Objects.Canary(ns);

        var error = await Assert.ThrowsAsync<TargetException>(() => Target().ObserveAsync(canary, default));
        Assert.Equal($"deployment podinfo.{ns} not found", error.Message);
    }
}
