using Canary.Sandbox.Workloads;
using k8s;
using k8s.Models;

namespace Canary.Sandbox.Tests.Workloads;

/// <summary>One in-process <see cref="SandboxCluster"/> (API server + workload simulator) per test class, on a free port.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    private static int _counter;

    public SandboxCluster Cluster { get; private set; } = null!;

    public IKubernetes Client { get; private set; } = null!;

    public string WorkDir { get; } = Directory.CreateTempSubdirectory("sandbox-workloads-").FullName;

    public Kubectl Kubectl { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        // A short ready delay keeps tests quick while still exercising the "not ready yet" phase.
        Cluster = await SandboxCluster.StartAsync(new SandboxClusterOptions { Workloads = new WorkloadSimulatorOptions { ReadyDelay = TimeSpan.FromMilliseconds(150) } });
        Client = Cluster.CreateClient();
        var kubeconfig = Cluster.WriteKubeconfig(Path.Combine(WorkDir, "kubeconfig"));
        Kubectl = new Kubectl(kubeconfig, Path.Combine(WorkDir, "cache"));
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Cluster.DisposeAsync();
        Directory.Delete(WorkDir, recursive: true);
    }

    public Task<string> NewNamespaceAsync() => NewNamespaceAsync(Client);

    /// <summary>A fresh namespace so tests never see each other's objects.</summary>
    public static async Task<string> NewNamespaceAsync(IKubernetes client)
    {
        var name = $"wl-{Interlocked.Increment(ref _counter)}-{Guid.NewGuid().ToString("N")[..6]}";
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name } });
        return name;
    }
}
