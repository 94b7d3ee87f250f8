using k8s;
using k8s.Models;
using static Canary.Sandbox.Tests.Workloads.Manifests;

namespace Canary.Sandbox.Tests.Workloads;

/// <summary>Deployment rollouts through KubernetesClient: status and conditions, ReplicaSets, pods, template changes, deletion.</summary>
public sealed class DeploymentTests(ClusterFixture fx) : IClassFixture<ClusterFixture>
{
    private IKubernetes Client => fx.Client;

    [Fact]
    public async Task Deployment_becomes_available_with_counts_reasons_replicaset_and_pods()
    {
        var ns = await fx.NewNamespaceAsync();
        await Client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("web", 3), ns);

        var d = await RolledOutAsync(Client, ns, "web", 3);

        Assert.Equal(1, d.Status.ObservedGeneration);
        Assert.Equal(3, d.Status.ReadyReplicas);
        Assert.Null(d.Status.UnavailableReplicas);
        var available = Condition(d, "Available")!;
        Assert.Equal(("True", "MinimumReplicasAvailable", "Deployment has minimum availability."), (available.Status, available.Reason, available.Message));
        Assert.NotNull(available.LastUpdateTime);
        Assert.NotNull(available.LastTransitionTime);
        Assert.Equal("1", d.Metadata.Annotations["deployment.kubernetes.io/revision"]);

        var rs = Assert.Single((await Client.AppsV1.ListNamespacedReplicaSetAsync(ns)).Items);
        var hash = rs.Metadata.Labels["pod-template-hash"];
        Assert.Equal($"web-{hash}", rs.Metadata.Name);
        Assert.Equal($"ReplicaSet \"{rs.Metadata.Name}\" has successfully progressed.", Condition(d, "Progressing")!.Message);
        var owner = Assert.Single(rs.Metadata.OwnerReferences);
        Assert.Equal((d.Metadata.Uid, "Deployment", true), (owner.Uid, owner.Kind, owner.Controller == true));
        Assert.Equal((3, 3, 3), (rs.Status.Replicas, rs.Status.ReadyReplicas, rs.Status.AvailableReplicas));

        var pods = (await Client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: "app=web,tier=web")).Items;
        Assert.Equal(3, pods.Count);
        Assert.All(pods, p =>
        {
            Assert.Equal("Running", p.Status.Phase);
            Assert.True(IsReady(p));
            Assert.Equal(hash, p.Metadata.Labels["pod-template-hash"]);
            Assert.StartsWith("web-" + hash + "-", p.Metadata.Name, StringComparison.Ordinal);
            Assert.Equal(rs.Metadata.Uid, Assert.Single(p.Metadata.OwnerReferences).Uid);
            Assert.StartsWith("10.244.", p.Status.PodIP, StringComparison.Ordinal);
            Assert.Equal("sandbox-node-1", p.Spec.NodeName);
            Assert.True(Assert.Single(p.Status.ContainerStatuses).Ready);
        });
        Assert.Equal(3, pods.Select(p => p.Status.PodIP).Distinct().Count());
    }

    [Fact]
    public async Task Template_change_rolls_pods_to_a_new_hash_and_bumps_observed_generation()
    {
        var ns = await fx.NewNamespaceAsync();
        await Client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("api", 2), ns);
        await RolledOutAsync(Client, ns, "api", 2);
        var firstHash = (await Client.AppsV1.ListNamespacedReplicaSetAsync(ns)).Items.Single().Metadata.Labels["pod-template-hash"];

        await Client.AppsV1.PatchNamespacedDeploymentAsync(Merge("""{"spec":{"template":{"spec":{"containers":[{"name":"app","image":"ghcr.io/example/app:2.0"}]}}}}"""), "api", ns);
        var d = await Eventually.ReachAsync(
            () => Client.AppsV1.ReadNamespacedDeploymentAsync("api", ns),
            d => d.Metadata.Generation == 2 && RolledOut(d, 2),
            "second rollout");

        Assert.Equal(2, d.Status.ObservedGeneration);
        Assert.Equal("2", d.Metadata.Annotations["deployment.kubernetes.io/revision"]);
        var sets = (await Client.AppsV1.ListNamespacedReplicaSetAsync(ns)).Items;
        Assert.Equal(2, sets.Count);
        var old = sets.Single(s => s.Metadata.Labels["pod-template-hash"] == firstHash);
        var current = sets.Single(s => s.Metadata.Labels["pod-template-hash"] != firstHash);
        Assert.Equal((0, "1"), (old.Spec.Replicas, old.Metadata.Annotations["deployment.kubernetes.io/revision"]));
        Assert.Equal((2, "2"), (current.Spec.Replicas, current.Metadata.Annotations["deployment.kubernetes.io/revision"]));
        var pods = (await Client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: "app=api")).Items;
        Assert.Equal(2, pods.Count);
        Assert.All(pods, p => Assert.Equal(current.Metadata.Labels["pod-template-hash"], p.Metadata.Labels["pod-template-hash"]));
        Assert.All(pods, p => Assert.Equal("ghcr.io/example/app:2.0", p.Spec.Containers[0].Image));
    }

    [Fact]
    public async Task Deleting_a_deployment_removes_its_replicasets_and_pods()
    {
        var ns = await fx.NewNamespaceAsync();
        await Client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("gone", 2), ns);
        await RolledOutAsync(Client, ns, "gone", 2);

        await Client.AppsV1.DeleteNamespacedDeploymentAsync("gone", ns);

        await Eventually.ReachAsync(
            async () => ((await Client.AppsV1.ListNamespacedReplicaSetAsync(ns)).Items.Count, (await Client.CoreV1.ListNamespacedPodAsync(ns)).Items.Count),
            counts => counts == (0, 0),
            "replicasets and pods collected");
    }
}
