using Canary.Api.V1Beta1;
using Canary.Providers.Naming;
using Canary.Rollout.Revisions;
using Canary.Rollout.Targets;
using Canary.Rollout.Targets.Autoscalers;
using k8s.Models;

namespace Canary.Rollout.Tests.Targets;

/// <summary>--include-label-prefix and Flux's markers on the primary and the other copies of a target.</summary>
public sealed class CopiedMetadataTests
{
    private static readonly TargetSelector Selector = new("app", "podinfo");

    private static readonly CanaryResource Canary = new()
    {
        Metadata = new V1ObjectMeta { Name = "podinfo", NamespaceProperty = "test", Uid = "0c1d2e3f" },
        Spec = new CanarySpec { TargetRef = new TargetReference { ApiVersion = "apps/v1", Kind = TargetKinds.Deployment, Name = "podinfo" } },
    };

    private static V1Deployment Target() => new()
    {
        ApiVersion = "apps/v1",
        Kind = "Deployment",
        Metadata = new V1ObjectMeta
        {
            Name = "podinfo",
            NamespaceProperty = "test",
            Labels = new Dictionary<string, string>
            {
                ["app"] = "podinfo",
                ["app.kubernetes.io/part-of"] = "shop",
                ["team-owner"] = "web",
                ["kustomize.toolkit.fluxcd.io/name"] = "apps",
            },
            Annotations = new Dictionary<string, string>
            {
                ["app.kubernetes.io/docs"] = "https://example.com",
                ["deployment.kubernetes.io/revision"] = "3",
                ["kustomize.toolkit.fluxcd.io/checksum"] = "abc",
            },
        },
        Spec = new V1DeploymentSpec
        {
            Replicas = 2,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "podinfo" } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "podinfo", ["version"] = "v1" } },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "podinfo", Image = "podinfo:1" }] },
            },
        },
    };

    [Fact]
    public void By_default_the_primary_carries_every_label_and_annotation_but_Fluxs_and_is_marked_for_Flux()
    {
        var primary = PrimaryDeploymentBuilder.Create(Canary, Target(), Selector, TrackedConfigs.Empty, new Revision("h1"), SelectorLabels.Defaults);

        Assert.Equal(
            new Dictionary<string, string> { ["app"] = "podinfo-primary", ["app.kubernetes.io/part-of"] = "shop", ["team-owner"] = "web" },
            primary.Metadata.Labels);
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["app.kubernetes.io/docs"] = "https://example.com",
                ["deployment.kubernetes.io/revision"] = "3",
                ["kustomize.toolkit.fluxcd.io/reconcile"] = "disabled",
                ["helm.toolkit.fluxcd.io/driftDetection"] = "disabled",
            },
            primary.Metadata.Annotations);
    }

    [Fact]
    public void Prefixes_select_the_labels_and_annotations_at_creation_and_at_promotion_but_not_in_the_pod_template()
    {
        var copied = new CopiedMetadata(["app.kubernetes.io", "team-"]);
        var primary = PrimaryDeploymentBuilder.Create(Canary, Target(), Selector, TrackedConfigs.Empty, new Revision("h1"), SelectorLabels.Defaults, copied);
        var promoted = PrimaryDeploymentBuilder.ApplyTemplate(primary, Target(), Selector, TrackedConfigs.Empty, new Revision("h2"), SelectorLabels.Defaults, copyReplicas: true, copied);

        foreach (var deployment in new[] { primary, promoted })
        {
            // The selector label is the primary's own, whatever the prefixes.
            Assert.Equal(
                new Dictionary<string, string> { ["app"] = "podinfo-primary", ["app.kubernetes.io/part-of"] = "shop", ["team-owner"] = "web" },
                deployment.Metadata.Labels);
            Assert.Equal(
                ["app.kubernetes.io/docs", "helm.toolkit.fluxcd.io/driftDetection", "kustomize.toolkit.fluxcd.io/reconcile"],
                deployment.Metadata.Annotations.Keys.Order(StringComparer.Ordinal));
            Assert.Equal("v1", deployment.Spec.Template.Metadata.Labels["version"]);
        }
    }

    [Fact]
    public void No_prefix_copies_nothing_and_a_star_copies_everything_but_Fluxs_keys()
    {
        var labels = Target().Metadata.Labels;

        Assert.Empty(new CopiedMetadata([]).Labels(labels));
        Assert.Equal(["app", "app.kubernetes.io/part-of", "team-owner"], CopiedMetadata.All.Labels(labels).Keys.Order(StringComparer.Ordinal));
        Assert.Equal(
            ["helm.toolkit.fluxcd.io/driftDetection", "kustomize.toolkit.fluxcd.io/reconcile"],
            new CopiedMetadata([]).Annotations(Target().Metadata.Annotations).Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_primary_autoscaler_follows_the_prefixes_and_is_marked()
    {
        var hpa = new V2HorizontalPodAutoscaler
        {
            Metadata = new V1ObjectMeta
            {
                Name = "podinfo",
                NamespaceProperty = "test",
                Labels = new Dictionary<string, string> { ["app"] = "podinfo", ["team-owner"] = "web" },
            },
            Spec = new V2HorizontalPodAutoscalerSpec
            {
                ScaleTargetRef = new V2CrossVersionObjectReference { ApiVersion = "apps/v1", Kind = "Deployment", Name = "podinfo" },
                MaxReplicas = 4,
            },
        };

        var primary = PrimaryAutoscalerBuilder.Build(Canary, hpa, "podinfo-primary", new CopiedMetadata(["team-"]));

        Assert.Equal(new Dictionary<string, string> { ["team-owner"] = "web" }, primary.Metadata.Labels);
        Assert.Equal("disabled", primary.Metadata.Annotations["kustomize.toolkit.fluxcd.io/reconcile"]);
    }
}
