using Canary.E2E.Infrastructure;
using Canary.Sandbox.ApiServer;
using Canary.Sandbox.ApiServer.Auth;
using Canary.Sandbox.Demo;
using k8s;
using k8s.Models;

namespace Canary.E2E.Chaos;

/// <summary>
/// The ground the crash matrix stands on: an emulated API server with RBAC enforced (the controller acts as its
/// ServiceAccount from manifests/rbac), the Canary and routing CRDs, and a real HTTP webhook receiver. No workload or
/// traffic simulator: the driver plays the Deployment controller itself, so every run is the same tick for tick.
/// </summary>
public sealed class ChaosFixture : IAsyncLifetime
{
    private static int _counter;

    public SandboxApiServer Server { get; private set; } = null!;

    /// <summary>The admin client (the user's writes and the driver's observations).</summary>
    public IKubernetes Admin { get; private set; } = null!;

    public ServiceAccountIdentity Controller { get; private set; } = null!;

    public WebhookReceiver Webhooks { get; private set; } = null!;

    /// <summary>A kubeconfig for the controller's ServiceAccount (the composition root asks for one).</summary>
    public string Kubeconfig { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        Server = await SandboxApiServer.StartAsync(new SandboxApiServerOptions { EnforceRbac = true, HistorySize = 200_000 });
        Admin = Server.CreateClient();
        await Crds.InstallAsync(Admin, Server.Store, default);
        Controller = ControllerRbac.Install(Server);
        Kubeconfig = Server.WriteKubeconfig(Path.Combine(Path.GetTempPath(), $"canary-chaos-{Guid.NewGuid():N}.kubeconfig"), token: Controller.Token);
        Webhooks = await WebhookReceiver.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await Webhooks.DisposeAsync();
        Admin.Dispose();
        Server.Rbac.WriteReportIfRequested("chaos");
        await Server.DisposeAsync();
        File.Delete(Kubeconfig);
    }

    /// <summary>A fresh namespace for one run.</summary>
    public async Task<string> NewNamespaceAsync(string prefix)
    {
        var name = $"chaos-{prefix}-{Interlocked.Increment(ref _counter)}";
        await Admin.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name } });
        return name;
    }
}
