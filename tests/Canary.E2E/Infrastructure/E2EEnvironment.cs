using System.Text.Json.Nodes;
using Canary.Controller.Hosting;
using Canary.Sandbox.ApiServer;
using Canary.Sandbox.ApiServer.Auth;
using Canary.Sandbox.Demo;
using Canary.Sandbox.ApiServer.Resources;
using Canary.Sandbox.ApiServer.Store;
using Canary.Sandbox.Prometheus;
using Canary.Sandbox.Traffic;
using Canary.Sandbox.Traffic.Metrics;
using Canary.Sandbox.Workloads;
using k8s;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;

namespace Canary.E2E.Infrastructure;

/// <summary>How an <see cref="E2EEnvironment"/> is set up.</summary>
public sealed record E2EEnvironmentOptions
{
    /// <summary>The controller's default provider (<c>-mesh-provider</c>); it also picks the routing kinds the controller caches.</summary>
    public string MeshProvider { get; init; } = "gatewayapi:v1";

    /// <summary>How long a pod takes to become Ready in the workload simulator.</summary>
    public TimeSpan PodReadyDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Tick of the traffic simulator.</summary>
    public TimeSpan TrafficTick { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Extra controller settings on top of the environment's (kubeconfig, Prometheus, ports are set by the environment).</summary>
    public Func<ControllerOptions, ControllerOptions>? ConfigureController { get; init; }

    /// <summary>Extra service registrations for the controller host (run after the controller's own).</summary>
    public Action<IServiceCollection>? ConfigureServices { get; init; }
}

/// <summary>
/// Everything an end-to-end scenario runs against, one per xunit collection: the emulated API server with the workload
/// simulator (<see cref="SandboxCluster"/>), the Canary CRDs from <c>manifests/crds</c> plus the routing CRDs of every
/// provider, the traffic simulator with its <c>/metrics</c> endpoint, a real Prometheus scraping it every second, real HTTP
/// webhook receivers, and the controller host in process. Each test works in its own namespace
/// (<see cref="NewNamespaceAsync"/>); tests of one collection run one after another, collections run in parallel.
/// Derive per provider/collection (a parameterless constructor passing <see cref="E2EEnvironmentOptions"/>).
/// </summary>
public class E2EEnvironment : IAsyncLifetime
{
    private static int _namespaceCounter;
    private string _kubeconfig = string.Empty;
    private string _controllerKubeconfig = string.Empty;

    public E2EEnvironment()
        : this(new E2EEnvironmentOptions())
    {
    }

    protected E2EEnvironment(E2EEnvironmentOptions options) => Options = options;

    public E2EEnvironmentOptions Options { get; }

    public SandboxCluster Cluster { get; private set; } = null!;

    /// <summary>The API server's store: direct reads and watches, no HTTP (so no faults and no request counts).</summary>
    public ObjectStore Store => Cluster.Store;

    /// <summary>A KubernetesClient for the sandbox, for writes a user would make.</summary>
    public IKubernetes Client { get; private set; } = null!;

    public TrafficSimulator Traffic { get; private set; } = null!;

    public TrafficMetricsEndpoint MetricsEndpoint { get; private set; } = null!;

    /// <summary>The collection's Prometheus (the controller's default metrics server).</summary>
    public PrometheusRunner Prometheus { get; private set; } = null!;

    public WebhookReceiver Webhooks { get; private set; } = null!;

    /// <summary>The running controller, or null between <see cref="KillControllerAsync"/> and <see cref="StartControllerAsync"/>.</summary>
    public ControllerInstance? Controller { get; private set; }

    /// <summary>The controller's ServiceAccount from manifests/rbac: every controller host of the environment acts as it, with RBAC enforced.</summary>
    public ServiceAccountIdentity ControllerIdentity { get; private set; } = null!;

    /// <summary>An admin kubeconfig for the sandbox (what a user's kubectl would use).</summary>
    public string Kubeconfig => _kubeconfig;

    /// <summary>The controller's log lines (all hosts of this environment).</summary>
    public LogSink ControllerLogs { get; } = new();

    public async Task InitializeAsync()
    {
        try
        {
            await StartAllAsync();
        }
        catch
        {
            // A half-started environment must not leak its Prometheus process or ports.
            await DisposeAsync();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        // Controller first, so it does not react to the rest going away.
        await StopControllerAsync();
        await DisposeQuietlyAsync(Webhooks);
        await DisposeQuietlyAsync(Prometheus);
        await DisposeQuietlyAsync(MetricsEndpoint);
        await DisposeQuietlyAsync(Traffic);
        Client?.Dispose();
        Cluster?.Server.Rbac.WriteReportIfRequested("e2e");
        await DisposeQuietlyAsync(Cluster);
        foreach (var file in new[] { _kubeconfig, _controllerKubeconfig })
        {
            if (File.Exists(file))
            {
                File.Delete(file);
            }
        }
    }

    private async Task StartAllAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var ct = timeout.Token;
        Cluster = await SandboxCluster.StartAsync(
            new SandboxClusterOptions
            {
                ApiServer = new SandboxApiServerOptions { BookmarkInterval = TimeSpan.FromSeconds(1), HistorySize = 200_000, EnforceRbac = true },
                Workloads = new WorkloadSimulatorOptions { ReadyDelay = Options.PodReadyDelay },
            },
            ct);
        Client = Cluster.CreateClient();
        _kubeconfig = Cluster.WriteKubeconfig(Path.Combine(Path.GetTempPath(), $"canary-e2e-{Guid.NewGuid():N}.kubeconfig"));
        await Crds.InstallAsync(Client, Store, ct);
        ControllerIdentity = ControllerRbac.Install(Cluster.Server);
        _controllerKubeconfig = Cluster.WriteKubeconfig(
            Path.Combine(Path.GetTempPath(), $"canary-e2e-controller-{Guid.NewGuid():N}.kubeconfig"), token: ControllerIdentity.Token);

        Traffic = new TrafficSimulator(Store, new TrafficSimulatorOptions { TickInterval = Options.TrafficTick });
        await Traffic.StartAsync(ct);
        MetricsEndpoint = await TrafficMetricsEndpoint.StartAsync(Traffic, cancellationToken: ct);
        Prometheus = await PrometheusRunner.StartAsync(MetricsEndpoint.Url, cancellationToken: ct);
        Webhooks = await WebhookReceiver.StartAsync(ct);
        await StartControllerAsync(ct);
    }

    /// <summary>The controller options the environment starts hosts with: short intervals, this sandbox, this Prometheus.</summary>
    public ControllerOptions ControllerOptions()
    {
        var options = new ControllerOptions
        {
            Kubeconfig = _controllerKubeconfig,
            MetricsServer = Prometheus.Url,
            MeshProvider = Options.MeshProvider,
            LogFormat = LogFormat.Text,
            Threadiness = 4,
            WatchTimeout = TimeSpan.FromSeconds(30),

            // As manifests/controller/deployment.yaml runs it, with seconds-long lease timings.
            EnableLeaderElection = true,
            LeaderElectionNamespace = ControllerIdentity.Namespace,
            LeaseDuration = TimeSpan.FromSeconds(3),
            RenewDeadline = TimeSpan.FromSeconds(2),
            RetryPeriod = TimeSpan.FromMilliseconds(250),
        };
        return Options.ConfigureController?.Invoke(options) ?? options;
    }

    /// <summary>Starts a controller host (no-op when one runs).</summary>
    public async Task StartControllerAsync(CancellationToken cancellationToken = default)
    {
        Controller ??= await ControllerInstance.StartAsync(ControllerOptions(), ControllerLogs, Options.ConfigureServices, cancellationToken);
    }

    /// <summary>Kills the running controller abruptly (no graceful drain); a later <see cref="StartControllerAsync"/> starts a fresh one.</summary>
    public async Task KillControllerAsync()
    {
        if (Controller is { } controller)
        {
            Controller = null;
            await controller.KillAsync();
        }
    }

    /// <summary>A new namespace for one test (<c>e2e-&lt;prefix&gt;-N</c>).</summary>
    public async Task<string> NewNamespaceAsync(string prefix, CancellationToken cancellationToken = default)
    {
        var name = $"e2e-{prefix}-{Interlocked.Increment(ref _namespaceCounter)}";
        await Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name } }, cancellationToken: cancellationToken);
        return name;
    }

    /// <summary>Starts simulated clients for the apex <paramref name="name"/> in <paramref name="ns"/> through <paramref name="provider"/>'s data plane.</summary>
    public TrafficApp AddTraffic(string ns, string name, string provider, double requestsPerSecond = 100, IReadOnlyList<RequestSegment>? segments = null)
    {
        var app = new TrafficApp { Namespace = ns, Name = name, Provider = provider, RequestsPerSecond = requestsPerSecond, Segments = segments ?? [] };
        Traffic.AddApp(app);
        return app;
    }

    /// <summary>Reads one object straight from the store, or null when it does not exist.</summary>
    public JsonObject? TryGet(GroupVersionResource resource, string? ns, string name)
    {
        try
        {
            return Store.Get(resource, ns, name);
        }
        catch (ApiException e) when (e.Code == 404)
        {
            return null;
        }
    }

    private async Task StopControllerAsync()
    {
        if (Controller is { } controller)
        {
            Controller = null;
            await controller.DisposeAsync();
        }
    }

    private static async Task DisposeQuietlyAsync(IAsyncDisposable? disposable)
    {
        if (disposable is null)
        {
            return;
        }

        try
        {
            await disposable.DisposeAsync();
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or OperationCanceledException or ObjectDisposedException)
        {
            // Teardown of one part must not hide the others' (or the tests') results.
        }
    }
}
