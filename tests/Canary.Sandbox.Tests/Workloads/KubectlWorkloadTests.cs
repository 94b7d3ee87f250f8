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
}
