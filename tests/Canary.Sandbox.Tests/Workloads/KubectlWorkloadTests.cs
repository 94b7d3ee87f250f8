using k8s;
using static Canary.Sandbox.Tests.Workloads.Manifests;

namespace Canary.Sandbox.Tests.Workloads;

/// <summary>The real /usr/bin/kubectl against the simulated workloads.</summary>
public sealed class KubectlWorkloadTests(ClusterFixture fx) : IClassFixture<ClusterFixture>
{
    private IKubernetes Client => fx.Client;

    [Fact]
    public async Task Rollout_status_succeeds_and_label_selected_pods_are_listed()
    {
        var ns = await fx.NewNamespaceAsync();
        await Client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("frontend", 2), ns);

        var rollout = await fx.Kubectl.OkAsync($"rollout status deployment/frontend -n {ns} --timeout=20s");
        Assert.Contains("\"frontend\" successfully rolled out", rollout, StringComparison.Ordinal);

        var names = (await fx.Kubectl.OkAsync($"get pods -l app=frontend -n {ns} -o name")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, names.Length);
        Assert.All(names, n => Assert.StartsWith("pod/frontend-", n, StringComparison.Ordinal));
        var table = await fx.Kubectl.OkAsync($"get pods -l app=frontend -n {ns}");
        Assert.Equal(2, table.Split('\n').Count(l => l.Contains("1/1", StringComparison.Ordinal) && l.Contains("Running", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Rollout_undo_returns_to_the_previous_replicaset_as_a_new_revision()
    {
        var ns = await fx.NewNamespaceAsync();
        await Client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("undo", 1), ns);
        await RolledOutAsync(Client, ns, "undo", 1);
        var first = (await Client.AppsV1.ListNamespacedReplicaSetAsync(ns)).Items.Single().Metadata.Name;
        await Client.AppsV1.PatchNamespacedDeploymentAsync(Merge("""{"spec":{"template":{"spec":{"containers":[{"name":"app","image":"app:2"}]}}}}"""), "undo", ns);
        await Eventually.ReachAsync(() => Client.AppsV1.ReadNamespacedDeploymentAsync("undo", ns), d => d.Metadata.Generation == 2 && RolledOut(d, 1), "second revision");

        // kubectl sends the old template back through Go types (creationTimestamp: null, resources: {}): still the same template.
        await fx.Kubectl.OkAsync($"rollout undo deployment/undo -n {ns}");
        await fx.Kubectl.OkAsync($"rollout status deployment/undo -n {ns} --timeout=20s");

        var sets = (await Client.AppsV1.ListNamespacedReplicaSetAsync(ns)).Items;
        Assert.Equal(2, sets.Count);
        var current = sets.Single(s => s.Spec.Replicas == 1);
        Assert.Equal((first, "3"), (current.Metadata.Name, current.Metadata.Annotations["deployment.kubernetes.io/revision"]));
    }
}
