using Canary.Sandbox.ApiServer;
using Canary.Sandbox.ApiServer.Auth;
using k8s;
using k8s.Models;

namespace Canary.Rollout.Tests.Sandbox;

/// <summary>
/// One emulated API server per test class, with the Canary CRD installed from manifests/crds and RBAC enforced: the
/// controller's parts under test act as its ServiceAccount from manifests/rbac (<see cref="Controller"/>), the test's
/// own set-up and checks as the admin (<see cref="Client"/>).
/// </summary>
public sealed class SandboxFixture : IAsyncLifetime
{
    private static int _counter;

    public SandboxApiServer Server { get; private set; } = null!;

    public IKubernetes Client { get; private set; } = null!;

    /// <summary>The bearer token of the controller's ServiceAccount (for clients with their own handlers).</summary>
    public string ControllerToken { get; private set; } = string.Empty;

    /// <summary>A client acting as the controller's ServiceAccount.</summary>
    public IKubernetes Controller { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await SandboxApiServer.StartAsync(new SandboxApiServerOptions { EnforceRbac = true });
        Client = Server.CreateClient();
        ControllerToken = ServiceAccountIdentity.InstallFromDirectory(Server, Path.Combine(RepoRoot(), "manifests", "rbac")).Token;
        Controller = Server.CreateClient(ControllerToken);
        foreach (var file in new[] { "canaries.canary.dev.yaml", "canaryrequests.canary.dev.yaml" })
        {
            var crd = KubernetesYaml.Deserialize<V1CustomResourceDefinition>(await File.ReadAllTextAsync(Path.Combine(RepoRoot(), "manifests", "crds", file)));
            await Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd);
        }
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        Controller.Dispose();
        Server.Rbac.WriteReportIfRequested("rollout");
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
