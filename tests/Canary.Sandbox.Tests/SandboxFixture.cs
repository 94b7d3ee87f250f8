using Canary.Sandbox.ApiServer;
using k8s;
using k8s.Models;

namespace Canary.Sandbox.Tests;

/// <summary>One in-process sandbox server per test class (classes run in parallel; tests in a class share it).</summary>
public sealed class SandboxFixture : IAsyncLifetime
{
    private static int _counter;

    public SandboxApiServer Server { get; private set; } = null!;

    public IKubernetes Client { get; private set; } = null!;

    /// <summary>Folder holding this server's kubeconfig and kubectl discovery cache.</summary>
    public string WorkDir { get; } = Directory.CreateTempSubdirectory("sandbox-tests-").FullName;

    public string KubeconfigPath { get; private set; } = string.Empty;

    public Kubectl Kubectl { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await SandboxApiServer.StartAsync(new SandboxApiServerOptions { BookmarkInterval = TimeSpan.FromMilliseconds(300) });
        Client = Server.CreateClient();
        KubeconfigPath = Server.WriteKubeconfig(Path.Combine(WorkDir, "kubeconfig"));
        Kubectl = new Kubectl(KubeconfigPath, Path.Combine(WorkDir, "cache"));
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
        Directory.Delete(WorkDir, recursive: true);
    }

    /// <summary>Creates a fresh namespace so tests never see each other's objects.</summary>
    public async Task<string> NewNamespaceAsync(string prefix = "t")
    {
        var name = $"{prefix}-{Interlocked.Increment(ref _counter)}-{Guid.NewGuid().ToString("N")[..6]}";
        await Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name } });
        return name;
    }
}
