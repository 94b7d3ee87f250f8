using Canary.Sandbox.Workloads;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Time.Testing;
using static Canary.Sandbox.Tests.Workloads.Manifests;

namespace Canary.Sandbox.Tests.Workloads;

/// <summary>Readiness delays and progress deadlines on a FakeTimeProvider shared by the store and the simulator: deterministic and instant.</summary>
public sealed class FakeClockTests
{
    private static readonly Dictionary<string, string> NeverReady = new() { [SandboxAnnotations.NeverReady] = "true" };

    private static async Task<(SandboxCluster Cluster, IKubernetes Client, string Namespace)> StartAsync(FakeTimeProvider time, TimeSpan readyDelay)
    {
        var cluster = await SandboxCluster.StartAsync(new SandboxClusterOptions { TimeProvider = time, Workloads = new WorkloadSimulatorOptions { ReadyDelay = readyDelay } });
        var client = cluster.CreateClient();
        return (cluster, client, await ClusterFixture.NewNamespaceAsync(client));
    }

    private static async Task<V1Pod> StartedPodAsync(IKubernetes client, string ns) =>
        (await Eventually.ReachAsync(
            () => client.CoreV1.ListNamespacedPodAsync(ns),
            l => l.Items.Count == 1 && l.Items[0].Status?.PodIP is not null,
            "pod started")).Items[0];

    [Fact]
    public async Task Never_ready_pods_hit_ProgressDeadlineExceeded_once_the_deadline_passes()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var (cluster, client, ns) = await StartAsync(time, TimeSpan.FromSeconds(1));
        await using var _ = cluster;
        using var __ = client;
        await client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("broken", 1, NeverReady, progressDeadlineSeconds: 30), ns);

        var rolling = await Eventually.ReachAsync(
            () => client.AppsV1.ReadNamespacedDeploymentAsync("broken", ns),
            d => d.Status?.UpdatedReplicas == 1 && Condition(d, "Progressing")?.Reason == "ReplicaSetUpdated",
            "rollout progressing");
        Assert.Equal(("False", "MinimumReplicasUnavailable"), (Condition(rolling, "Available")!.Status, Condition(rolling, "Available")!.Reason));
        Assert.False(IsReady(await StartedPodAsync(client, ns)));

        time.Advance(TimeSpan.FromSeconds(31));
        var d = await Eventually.ReachAsync(
            () => client.AppsV1.ReadNamespacedDeploymentAsync("broken", ns),
            d => Condition(d, "Progressing")?.Reason == "ProgressDeadlineExceeded",
            "progress deadline exceeded");

        var progressing = Condition(d, "Progressing")!;
        var rs = (await client.AppsV1.ListNamespacedReplicaSetAsync(ns)).Items.Single();
        Assert.Equal(("False", $"ReplicaSet \"{rs.Metadata.Name}\" has timed out progressing."), (progressing.Status, progressing.Message));
        Assert.Equal(time.GetUtcNow().UtcDateTime, progressing.LastTransitionTime!.Value.ToUniversalTime(), TimeSpan.FromSeconds(1));
        Assert.Null(d.Status.AvailableReplicas);
        Assert.False(IsReady((await client.CoreV1.ListNamespacedPodAsync(ns)).Items.Single()));
    }

    [Fact]
    public async Task A_never_ready_release_of_a_healthy_deployment_keeps_the_old_pods_serving()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var (cluster, client, ns) = await StartAsync(time, TimeSpan.Zero);
        await using var _ = cluster;
        using var __ = client;
        await client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("app", 2, progressDeadlineSeconds: 60), ns);
        await RolledOutAsync(client, ns, "app", 2);

        await client.AppsV1.PatchNamespacedDeploymentAsync(Merge("""{"spec":{"template":{"metadata":{"annotations":{"sandbox.canary.dev/never-ready":"true"}}}}}"""), "app", ns);
        await Eventually.ReachAsync(
            () => client.AppsV1.ReadNamespacedDeploymentAsync("app", ns),
            d => d.Status.ObservedGeneration == 2 && d.Status.UpdatedReplicas == 2 && Condition(d, "Progressing")?.Reason == "ReplicaSetUpdated",
            "new pods started");
        time.Advance(TimeSpan.FromSeconds(61));
        var d = await Eventually.ReachAsync(
            () => client.AppsV1.ReadNamespacedDeploymentAsync("app", ns),
            d => Condition(d, "Progressing")?.Reason == "ProgressDeadlineExceeded",
            "progress deadline exceeded");

        // Old pods stay until the new ones are available, so the Deployment as a whole keeps minimum availability.
        Assert.Equal((4, 2, 2), (d.Status.Replicas, d.Status.UpdatedReplicas, d.Status.AvailableReplicas));
        Assert.Equal("True", Condition(d, "Available")!.Status);
    }

    [Fact]
    public async Task Ready_after_annotation_holds_a_pod_back_until_that_time_has_passed()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var (cluster, client, ns) = await StartAsync(time, TimeSpan.Zero);
        await using var _ = cluster;
        using var __ = client;
        var annotations = new Dictionary<string, string> { [SandboxAnnotations.ReadyAfter] = "1m30s" };
        await client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("slow", 1, annotations), ns);

        var pod = await StartedPodAsync(client, ns);
        Assert.Equal("Running", pod.Status.Phase);
        Assert.False(IsReady(pod));
        var starting = await client.AppsV1.ReadNamespacedDeploymentAsync("slow", ns);
        Assert.Equal("MinimumReplicasUnavailable", Condition(starting, "Available")!.Reason);

        // Nothing is due before 90 s, so the pod is still unready just before.
        time.Advance(TimeSpan.FromSeconds(89));
        Assert.False(IsReady((await client.CoreV1.ListNamespacedPodAsync(ns)).Items.Single()));

        time.Advance(TimeSpan.FromSeconds(2));
        var d = await RolledOutAsync(client, ns, "slow", 1);
        Assert.Equal(("True", "MinimumReplicasAvailable"), (Condition(d, "Available")!.Status, Condition(d, "Available")!.Reason));
    }
}
