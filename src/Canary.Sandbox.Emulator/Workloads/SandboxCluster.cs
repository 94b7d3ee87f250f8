using Canary.Sandbox.ApiServer;
using Canary.Sandbox.ApiServer.Auth;
using Canary.Sandbox.ApiServer.Store;
using k8s;

namespace Canary.Sandbox.Workloads;

/// <summary>How to start a <see cref="SandboxCluster"/>.</summary>
public sealed record SandboxClusterOptions
{
    /// <summary>The API server's options (port, history, logging, ...).</summary>
    public SandboxApiServerOptions ApiServer { get; init; } = new();

    /// <summary>The workload simulator's options (ready delay, nodes, ...).</summary>
    public WorkloadSimulatorOptions Workloads { get; init; } = new();

    /// <summary>Run the workload simulator; off leaves Deployments etc. without status, as a bare API server.</summary>
    public bool EnableWorkloads { get; init; } = true;

    /// <summary>One clock for the store and the simulator (a FakeTimeProvider in tests); overrides ApiServer.TimeProvider.</summary>
    public TimeProvider? TimeProvider { get; init; }
}

/// <summary>
/// The emulated API server and the workload simulator started together on one store and one clock: what tests,
/// benchmarks and the <c>serve</c> command use as "a cluster".
/// </summary>
public sealed class SandboxCluster : IAsyncDisposable
{
    private SandboxCluster(SandboxApiServer server, WorkloadSimulator? workloads, TimeProvider time)
    {
        Server = server;
        Workloads = workloads;
        Time = time;
    }

    public SandboxApiServer Server { get; }

    /// <summary>The workload simulator, or null when it was disabled.</summary>
    public WorkloadSimulator? Workloads { get; }

    /// <summary>The clock shared by the store and the simulator.</summary>
    public TimeProvider Time { get; }

    public ObjectStore Store => Server.Store;

    public Uri BaseUrl => Server.BaseUrl;

    /// <summary>Starts the API server, then the simulator on its store.</summary>
    public static async Task<SandboxCluster> StartAsync(SandboxClusterOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new SandboxClusterOptions();
        var time = options.TimeProvider ?? options.ApiServer.TimeProvider ?? TimeProvider.System;
        var server = await SandboxApiServer.StartAsync(options.ApiServer with { TimeProvider = time }, cancellationToken).ConfigureAwait(false);
        try
        {
            var workloads = options.EnableWorkloads
                ? await WorkloadSimulator.StartAsync(server.Store, options.Workloads, time, cancellationToken).ConfigureAwait(false)
                : null;
            return new SandboxCluster(server, workloads, time);
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>A new KubernetesClient for the API server (dispose it), as the admin unless <paramref name="token"/> says otherwise.</summary>
    public IKubernetes CreateClient(string token = ServiceAccountTokens.AdminToken) => Server.CreateClient(token);

    /// <summary>Writes a kubeconfig for kubectl and returns its full path; the admin's unless <paramref name="token"/> says otherwise.</summary>
    public string WriteKubeconfig(string path, string defaultNamespace = "default", string token = ServiceAccountTokens.AdminToken) =>
        Server.WriteKubeconfig(path, defaultNamespace, token);

    /// <summary>Stops the simulator first (so it does not react to the server going away), then the server.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Workloads is not null)
        {
            await Workloads.DisposeAsync().ConfigureAwait(false);
        }

        await Server.DisposeAsync().ConfigureAwait(false);
    }
}
