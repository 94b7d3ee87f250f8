using Canary.Sandbox.ApiServer;
using k8s;
using k8s.Models;

namespace Canary.Rollout.Tests.Sandbox;

/// <summary>One emulated API server per test class, with the Canary CRD installed from manifests/crds.</summary>
public sealed class SandboxFixture : IAsyncLifetime
{
    private static int _counter;

    public SandboxApiServer Server { get; private set; } = null!;

    public IKubernetes Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await SandboxApiServer.StartAsync();
        Client = Server.CreateClient();
        var crd = KubernetesYaml.Deserialize<V1CustomResourceDefinition>(await File.ReadAllTextAsync(Path.Combine(RepoRoot(), "manifests", "crds", "canaries.canary.dev.yaml")));
        await Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd);
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
    }

    public async Task<string> NewNamespaceAsync()
    {
        var name = $"rollout-{Interlocked.Increment(ref _counter)}-{Guid.NewGuid().ToString("N")[..6]}";
        await Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name } });
        return name;
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Canary.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Canary.sln not found above the test folder");
    }
}
