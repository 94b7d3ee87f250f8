using Canary.Api.V1Beta1;
using Canary.Providers.Naming;
using Canary.Rollout.Revisions;
using Canary.Rollout.StateMachine;
using Canary.Rollout.Targets;
using Canary.Rollout.Tests.Sandbox;
using k8s.Models;

namespace Canary.Rollout.Tests.Targets;

/// <summary>The primary DaemonSet built from a (parked) target: golden objects and the rules they pin.</summary>
public sealed class PrimaryDaemonSetBuilderTests
{
    private static readonly TargetSelector Selector = new("app", "agent");

    private static readonly CanaryResource Canary = new()
    {
        Metadata = new V1ObjectMeta { Name = "agent", NamespaceProperty = "test", Uid = "0c1d2e3f" },
        Spec = new CanarySpec { TargetRef = new TargetReference { ApiVersion = "apps/v1", Kind = TargetKinds.DaemonSet, Name = "agent" } },
    };

    private static readonly TrackedConfigs Configs = new(
    [
        new TrackedConfig(new ConfigRef(ConfigKind.ConfigMap, "agent-config", false), "aaaa", null, null),
    ]);

    public static V1DaemonSet Target(string image = "agent:1", bool parked = true) => new()
    {
        ApiVersion = "apps/v1",
        Kind = "DaemonSet",
        Metadata = new V1ObjectMeta
        {
            Name = "agent",
            NamespaceProperty = "test",
            Generation = 3,
            Labels = new Dictionary<string, string> { ["app"] = "agent", ["kustomize.toolkit.fluxcd.io/name"] = "apps" },
            Annotations = new Dictionary<string, string> { ["owner"] = "infra", ["kubectl.kubernetes.io/last-applied-configuration"] = "{}" },
        },
        Spec = new V1DaemonSetSpec
        {
            MinReadySeconds = 5,
            RevisionHistoryLimit = 4,
            UpdateStrategy = new V1DaemonSetUpdateStrategy { Type = "RollingUpdate" },
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "agent" } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta
                {
                    Labels = new Dictionary<string, string> { ["app"] = "agent", ["tier"] = "node" },
                    Annotations = new Dictionary<string, string> { ["prometheus.io/scrape"] = "true" },
                },
                Spec = new V1PodSpec
                {
                    NodeSelector = parked
                        ? new Dictionary<string, string> { ["kubernetes.io/os"] = "linux", [DaemonSetScaleToZero.Key] = "true" }
                        : new Dictionary<string, string> { ["kubernetes.io/os"] = "linux" },
                    Containers =
                    [
                        new V1Container
                        {
                            Name = "agent",
                            Image = image,
                            EnvFrom = [new V1EnvFromSource { ConfigMapRef = new V1ConfigMapEnvSource { Name = "agent-config" } }],
                        },
                    ],
                },
            },
        },
    };

    [Fact]
    public void Primary_daemonset_from_a_parked_target_golden()
    {
        var revision = new Revision(PodTemplateHasher.Compute(DaemonSetScaleToZero.Without(Target().Spec.Template)), Configs.Checksums);

        var primary = PrimaryDaemonSetBuilder.Create(Canary, Target(), Selector, Configs, revision, SelectorLabels.Defaults);

        Golden.AssertMatches("daemonset-primary", primary);
        Assert.Equal(new Dictionary<string, string> { ["kubernetes.io/os"] = "linux" }, primary.Spec.Template.Spec.NodeSelector);
        Assert.Equal("agent-primary", Assert.Single(primary.Spec.Selector.MatchLabels).Value);
        Assert.Equal("agent-config-primary", primary.Spec.Template.Spec.Containers[0].EnvFrom[0].ConfigMapRef.Name);
    }

    [Fact]
    public void Parking_is_not_a_new_revision()
    {
        Assert.Equal(
            PodTemplateHasher.Compute(DaemonSetScaleToZero.Without(Target(parked: true).Spec.Template)),
            PodTemplateHasher.Compute(DaemonSetScaleToZero.Without(Target(parked: false).Spec.Template)));
        Assert.NotEqual(
            PodTemplateHasher.Compute(DaemonSetScaleToZero.Without(Target().Spec.Template)),
            PodTemplateHasher.Compute(DaemonSetScaleToZero.Without(Target(image: "agent:2").Spec.Template)));
    }

    [Fact]
    public void Promotion_copies_the_template_and_keeps_selector_and_owner()
    {
        var revision = new Revision("h1");
        var primary = PrimaryDaemonSetBuilder.Create(Canary, Target(), Selector, Configs, revision, SelectorLabels.Defaults);

        var promoted = PrimaryDaemonSetBuilder.ApplyTemplate(primary, Target(image: "agent:2", parked: false), Selector, Configs, new Revision("h2"), SelectorLabels.Defaults);

        Assert.Equal("agent:2", promoted.Spec.Template.Spec.Containers[0].Image);
        Assert.Equal(Objects.Json(primary.Spec.Selector), Objects.Json(promoted.Spec.Selector));
        Assert.Equal(Objects.Json(primary.Metadata.OwnerReferences), Objects.Json(promoted.Metadata.OwnerReferences));
        Assert.NotEqual(
            primary.Spec.Template.Metadata.Annotations[PrimaryDeploymentBuilder.RevisionAnnotation],
            promoted.Spec.Template.Metadata.Annotations[PrimaryDeploymentBuilder.RevisionAnnotation]);
        var again = PrimaryDaemonSetBuilder.ApplyTemplate(promoted, Target(image: "agent:2", parked: true), Selector, Configs, new Revision("h2"), SelectorLabels.Defaults);
        Assert.Equal(Objects.Json(promoted), Objects.Json(again));
    }

    [Fact]
    public void Readiness_follows_the_daemonset_status_and_fails_past_the_deadline()
    {
        var now = DateTimeOffset.Parse("2026-01-01T00:10:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var deadline = TimeSpan.FromMinutes(5);
        var ds = Target(parked: false);
        ds.Status = new V1DaemonSetStatus { ObservedGeneration = 2, DesiredNumberScheduled = 2 };
        Assert.Contains("observed daemonset generation less than desired generation", DaemonSetReadiness.Evaluate(ds, now, null, deadline, 100, "p: ").Message);

        ds.Status = new V1DaemonSetStatus { ObservedGeneration = 3, DesiredNumberScheduled = 2, UpdatedNumberScheduled = 1, NumberReady = 2, NumberAvailable = 2 };
        Assert.Equal("p: waiting for rollout to finish: 1 out of 2 new pods have been updated", DaemonSetReadiness.Evaluate(ds, now, null, deadline, 100, "p: ").Message);

        ds.Status = new V1DaemonSetStatus { ObservedGeneration = 3, DesiredNumberScheduled = 2, UpdatedNumberScheduled = 2, NumberReady = 1, NumberAvailable = 1 };
        var waiting = DaemonSetReadiness.Evaluate(ds, now, now.AddMinutes(-1), deadline, 100, "p: ");
        Assert.Equal(ReadinessState.Waiting, waiting.State);
        Assert.Equal("p: waiting for rollout to finish: 1 of 2 (readyThreshold 100%) updated pods are available", waiting.Message);
        Assert.True(DaemonSetReadiness.Evaluate(ds, now, null, deadline, 50, "p: ").IsReady);
        Assert.Equal(ReadinessState.DeadlineExceeded, DaemonSetReadiness.Evaluate(ds, now, now.AddMinutes(-6), deadline, 100, "p: ").State);

        ds.Status = new V1DaemonSetStatus { ObservedGeneration = 3, DesiredNumberScheduled = 0 };
        Assert.True(DaemonSetReadiness.Evaluate(ds, now, now.AddMinutes(-6), deadline, 100, "p: ").IsReady); // parked: nothing to schedule
    }
}
