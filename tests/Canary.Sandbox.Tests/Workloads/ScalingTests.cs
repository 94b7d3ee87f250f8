using k8s;
using k8s.Models;
using static Canary.Sandbox.Tests.Workloads.Manifests;

namespace Canary.Sandbox.Tests.Workloads;

/// <summary>Scaling through the scale subresource, HPAs holding their target in range, and DaemonSets on the simulated node.</summary>
public sealed class ScalingTests(ClusterFixture fx) : IClassFixture<ClusterFixture>
{
    private IKubernetes Client => fx.Client;

    [Fact]
    public async Task Scaling_changes_the_pod_count_and_zero_is_available()
    {
        var ns = await fx.NewNamespaceAsync();
        await Client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("scaled", 1), ns);
        await RolledOutAsync(Client, ns, "scaled", 1);

        await Client.AppsV1.PatchNamespacedDeploymentScaleAsync(Merge("""{"spec":{"replicas":4}}"""), "scaled", ns);
        await RolledOutAsync(Client, ns, "scaled", 4);
        var pods = (await Client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: "app=scaled")).Items;
        Assert.Equal(4, pods.Count(IsReady));

        await Client.AppsV1.PatchNamespacedDeploymentScaleAsync(Merge("""{"spec":{"replicas":0}}"""), "scaled", ns);
        var d = await Eventually.ReachAsync(
            () => Client.AppsV1.ReadNamespacedDeploymentAsync("scaled", ns),
            d => d.Status.ObservedGeneration == d.Metadata.Generation && d.Status.Replicas is null or 0,
            "scaled to zero");
        Assert.Equal("True", Condition(d, "Available")!.Status);
        Assert.Empty((await Client.CoreV1.ListNamespacedPodAsync(ns)).Items);
        var scale = await Client.AppsV1.ReadNamespacedDeploymentScaleAsync("scaled", ns);
        Assert.Equal(0, scale.Spec.Replicas);
    }

    [Fact]
    public async Task Hpa_raises_replicas_to_min_reports_status_and_leaves_a_zero_scaled_target_alone()
    {
        var ns = await fx.NewNamespaceAsync();
        await Client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("podinfo", 1), ns);
        await Client.AutoscalingV2.CreateNamespacedHorizontalPodAutoscalerAsync(
            new V2HorizontalPodAutoscaler
            {
                Metadata = new V1ObjectMeta { Name = "podinfo" },
                Spec = new V2HorizontalPodAutoscalerSpec
                {
                    ScaleTargetRef = new V2CrossVersionObjectReference { ApiVersion = "apps/v1", Kind = "Deployment", Name = "podinfo" },
                    MinReplicas = 2,
                    MaxReplicas = 4,
                },
            },
            ns);

        var d = await RolledOutAsync(Client, ns, "podinfo", 2);
        Assert.Equal(2, d.Spec.Replicas);
        var hpa = await Eventually.ReachAsync(
            () => Client.AutoscalingV2.ReadNamespacedHorizontalPodAutoscalerAsync("podinfo", ns),
            h => h.Status?.CurrentReplicas == 2 && h.Status.DesiredReplicas == 2,
            "hpa status");
        Assert.NotNull(hpa.Status.LastScaleTime);
        Assert.Equal(1, hpa.Status.ObservedGeneration);
        Assert.Contains(hpa.Status.Conditions, c => c.Type == "AbleToScale" && c.Status == "True");
        Assert.Contains(hpa.Status.Conditions, c => c.Type == "ScalingLimited" && c.Reason == "DesiredWithinRange");

        // Above max: back to min (no load). At zero: autoscaling is disabled, as Flagger relies on for a parked canary.
        await Client.AppsV1.PatchNamespacedDeploymentScaleAsync(Merge("""{"spec":{"replicas":9}}"""), "podinfo", ns);
        await RolledOutAsync(Client, ns, "podinfo", 2);
        await Client.AppsV1.PatchNamespacedDeploymentScaleAsync(Merge("""{"spec":{"replicas":0}}"""), "podinfo", ns);
        hpa = await Eventually.ReachAsync(
            () => Client.AutoscalingV2.ReadNamespacedHorizontalPodAutoscalerAsync("podinfo", ns),
            h => h.Status.Conditions.Any(c => c.Type == "ScalingActive" && c.Reason == "ScalingDisabled"),
            "scaling disabled");
        Assert.Equal(0, hpa.Status.DesiredReplicas);
        Assert.Equal(0, (await Client.AppsV1.ReadNamespacedDeploymentAsync("podinfo", ns)).Spec.Replicas);
    }

    [Fact]
    public async Task DaemonSet_runs_one_ready_pod_per_simulated_node()
    {
        var ns = await fx.NewNamespaceAsync();
        var labels = new Dictionary<string, string> { ["app"] = "agent" };
        await Client.AppsV1.CreateNamespacedDaemonSetAsync(
            new V1DaemonSet
            {
                Metadata = new V1ObjectMeta { Name = "agent" },
                Spec = new V1DaemonSetSpec
                {
                    Selector = new V1LabelSelector { MatchLabels = labels },
                    Template = new V1PodTemplateSpec
                    {
                        Metadata = new V1ObjectMeta { Labels = labels },
                        Spec = new V1PodSpec { Containers = [new V1Container { Name = "agent", Image = "agent:1" }] },
                    },
                },
            },
            ns);

        var ds = await Eventually.ReachAsync(
            () => Client.AppsV1.ReadNamespacedDaemonSetAsync("agent", ns),
            d => d.Status?.NumberReady == 1,
            "daemonset ready");
        Assert.Equal((1, 1, 1, 1, 0), (ds.Status.DesiredNumberScheduled, ds.Status.CurrentNumberScheduled, ds.Status.UpdatedNumberScheduled, ds.Status.NumberAvailable, ds.Status.NumberMisscheduled));
        Assert.Equal(1, ds.Status.ObservedGeneration);
        var pod = Assert.Single((await Client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: "app=agent")).Items);
        Assert.Equal("sandbox-node-1", pod.Spec.NodeName);
        Assert.True(pod.Metadata.Labels.ContainsKey("controller-revision-hash"));
        Assert.Equal(ds.Metadata.Uid, Assert.Single(pod.Metadata.OwnerReferences).Uid);
    }

    [Fact]
    public async Task DaemonSet_nodeSelector_no_node_matches_removes_its_pods_and_removing_it_brings_them_back()
    {
        var ns = await fx.NewNamespaceAsync();
        var labels = new Dictionary<string, string> { ["app"] = "agent" };
        await Client.AppsV1.CreateNamespacedDaemonSetAsync(
            new V1DaemonSet
            {
                Metadata = new V1ObjectMeta { Name = "agent" },
                Spec = new V1DaemonSetSpec
                {
                    Selector = new V1LabelSelector { MatchLabels = labels },
                    Template = new V1PodTemplateSpec
                    {
                        Metadata = new V1ObjectMeta { Labels = labels },
                        Spec = new V1PodSpec
                        {
                            NodeSelector = new Dictionary<string, string> { ["kubernetes.io/os"] = "linux" },
                            Containers = [new V1Container { Name = "agent", Image = "agent:1" }],
                        },
                    },
                },
            },
            ns);
        await Eventually.ReachAsync(() => Client.AppsV1.ReadNamespacedDaemonSetAsync("agent", ns), d => d.Status?.NumberReady == 1, "scheduled on the linux node");

        await Client.AppsV1.PatchNamespacedDaemonSetAsync(Merge("""{"spec":{"template":{"spec":{"nodeSelector":{"canary.dev/scale-to-zero":"true"}}}}}"""), "agent", ns);
        var parked = await Eventually.ReachAsync(
            () => Client.AppsV1.ReadNamespacedDaemonSetAsync("agent", ns),
            d => d.Status.ObservedGeneration == d.Metadata.Generation && d.Status.CurrentNumberScheduled == 0,
            "no node matches");
        Assert.Equal((0, 0), (parked.Status.DesiredNumberScheduled, parked.Status.NumberReady));
        Assert.Empty((await Client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: "app=agent")).Items);

        await Client.AppsV1.PatchNamespacedDaemonSetAsync(Merge("""{"spec":{"template":{"spec":{"nodeSelector":{"canary.dev/scale-to-zero":null}}}}}"""), "agent", ns);
        await Eventually.ReachAsync(() => Client.AppsV1.ReadNamespacedDaemonSetAsync("agent", ns), d => d.Status?.NumberReady == 1, "back on the node");
    }
}
