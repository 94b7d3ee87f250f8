using System.Net;
using System.Net.Sockets;
using Canary.Controller.Hosting;
using Canary.LoadTester.Hosting;
using Canary.Sandbox.ApiServer;
using Canary.Sandbox.ApiServer.Auth;
using Canary.Sandbox.Graphite;
using Canary.Sandbox.Influx;
using Canary.Sandbox.Prometheus;
using Canary.Sandbox.Traffic;
using Canary.Sandbox.Traffic.Metrics;
using Canary.Sandbox.Workloads;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Canary.Sandbox.Demo;

/// <summary>
/// Everything the demo runs, in one process: the emulated cluster (API server + workload simulator) with the CRDs,
/// simulated clients routed by the provider's data plane, their metrics scraped by a real Prometheus every second, and
/// the real controller host pointed at both. Dispose stops them in reverse order.
/// </summary>
public sealed class DemoEnvironment : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _owned = [];
    private readonly List<string> _teardownErrors = [];
    private string? _temporaryKubeconfig;
    private string? _controllerKubeconfig;

    private DemoEnvironment(DemoOptions options, DemoLogSink logs)
    {
        Options = options;
        ControllerLogs = logs;
    }

    /// <summary>The options it was started with.</summary>
    public DemoOptions Options { get; }

    /// <summary>API server and workload simulator.</summary>
    public SandboxCluster Cluster { get; private set; } = null!;

    /// <summary>The simulated clients.</summary>
    public TrafficSimulator Traffic { get; private set; } = null!;

    /// <summary>The real InfluxDB the app's totals are pushed to, with <c>--metrics influxdb</c>; null otherwise.</summary>
    public InfluxDbRunner? InfluxDb { get; private set; }

    /// <summary>The real Graphite the app's totals are pushed to, with <c>--metrics graphite</c>; null otherwise.</summary>
    public GraphiteRunner? Graphite { get; private set; }

    /// <summary>The real Prometheus scraping <see cref="Traffic"/>.</summary>
    public PrometheusRunner Prometheus { get; private set; } = null!;

    /// <summary>The cluster's Services over real HTTP (set HTTP_PROXY to its URL to call <c>svc.ns</c>); blue/green demos only.</summary>
    public ServiceProxy? Services { get; private set; }

    /// <summary>canary-loadtester, reaching the Services through <see cref="Services"/>: the blue/green canary's only traffic.</summary>
    public Uri? LoadTesterUrl { get; private set; }

    /// <summary>The in-process controller.</summary>
    public WebApplication Controller { get; private set; } = null!;

    /// <summary>The controller's ServiceAccount (manifests/rbac) it acts as.</summary>
    public ServiceAccountIdentity ControllerIdentity { get; private set; } = null!;

    /// <summary>Full path of the kubeconfig for kubectl.</summary>
    public string KubeconfigPath { get; private set; } = string.Empty;

    /// <summary>The controller's recent log lines.</summary>
    public DemoLogSink ControllerLogs { get; }

    /// <summary>Starts every part; on failure, what was started is stopped again.</summary>
    public static async Task<DemoEnvironment> StartAsync(DemoOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var environment = new DemoEnvironment(options, new DemoLogSink(options.TimeProvider));
        try
        {
            await environment.StartPartsAsync(cancellationToken).ConfigureAwait(false);
            return environment;
        }
        catch
        {
            await environment.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>What failed while stopping (each part is stopped even when another one failed to).</summary>
    public IReadOnlyList<string> TeardownErrors => _teardownErrors;

    /// <summary>Stops the controller first (so it does not act on a vanishing cluster), the cluster last.</summary>
    public async ValueTask DisposeAsync()
    {
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            try
            {
                if (_owned[i] is SandboxCluster cluster)
                {
                    cluster.Server.Rbac.WriteReportIfRequested("demo");
                }

                await _owned[i].DisposeAsync().ConfigureAwait(false);
            }
#pragma warning disable CA1031 // A part that fails to stop must not leave the others (Prometheus, ports) running.
            catch (Exception e)
#pragma warning restore CA1031
            {
                _teardownErrors.Add($"{_owned[i].GetType().Name}: {e.GetType().Name}: {e.Message}");
            }
        }

        _owned.Clear();
        foreach (var file in new[] { _temporaryKubeconfig, _controllerKubeconfig })
        {
            if (file is not null)
            {
                File.Delete(file);
            }
        }

        _temporaryKubeconfig = null;
        _controllerKubeconfig = null;
    }

    private async Task StartPartsAsync(CancellationToken cancellationToken)
    {
        var timings = Options.Timings;
        Cluster = Own(await SandboxCluster.StartAsync(
            new SandboxClusterOptions
            {
                // RBAC enforced: the controller runs as its ServiceAccount from manifests/rbac, kubectl as the admin.
                ApiServer = new SandboxApiServerOptions { Port = Options.ApiServerPort, EnforceRbac = true },
                Workloads = new WorkloadSimulatorOptions { ReadyDelay = timings.ReadyDelay },
            },
            cancellationToken).ConfigureAwait(false));
        DemoCrds.Install(Cluster.Store);
        ControllerIdentity = ControllerRbac.Install(Cluster.Server);
        _controllerKubeconfig = Cluster.WriteKubeconfig(
            Path.Combine(Path.GetTempPath(), $"canary-demo-controller-{Guid.NewGuid():N}.kubeconfig"), DemoManifests.Namespace, ControllerIdentity.Token);
        if (Options.KubeconfigPath is { } path)
        {
            KubeconfigPath = Cluster.WriteKubeconfig(path, DemoManifests.Namespace);
        }
        else
        {
            _temporaryKubeconfig = Cluster.WriteKubeconfig(Path.Combine(Path.GetTempPath(), $"canary-demo-{Guid.NewGuid():N}.kubeconfig"), DemoManifests.Namespace);
            KubeconfigPath = _temporaryKubeconfig;
        }

        Traffic = Own(new TrafficSimulator(Cluster.Store, new TrafficSimulatorOptions
        {
            Apps = Options.DemoClients ? Clients(Options.Profile, timings) : [],
            TickInterval = Options.TrafficTickInterval,
        }));
        await Traffic.StartAsync(cancellationToken).ConfigureAwait(false);
        var metrics = Own(await TrafficMetricsEndpoint.StartAsync(Traffic, cancellationToken: cancellationToken).ConfigureAwait(false));
        Prometheus = Own(await PrometheusRunner.StartAsync(metrics.Url, Options.Prometheus, cancellationToken).ConfigureAwait(false));
        if (Options.DemoClients && Options.Profile.BlueGreen)
        {
            // As Flagger's blue/green tutorial: the switch is all-or-nothing, so the new version's only traffic before it
            // is the load tester's, called from a rollout webhook; here real HTTP to the Service, through the proxy.
            Services = Own(await ServiceProxy.StartAsync(Traffic, cancellationToken: cancellationToken).ConfigureAwait(false));
            var tester = Own(LoadTesterHost.Build(new LoadTesterOptions { Port = 0, LoopbackOnly = true, Proxy = Services.Url, JsonLogs = false, LogLevel = LogLevel.Warning }));
            await tester.StartAsync(cancellationToken).ConfigureAwait(false);
            LoadTesterUrl = new Uri(tester.Urls.Single());
        }
        if (Options.Profile.Metrics == DemoProfile.InfluxDbMetrics)
        {
            // The app's totals go to InfluxDB too; Prometheus still feeds the live numbers the story prints.
            InfluxDb = Own(await InfluxDbRunner.StartAsync("canary", cancellationToken: cancellationToken).ConfigureAwait(false));
            Own(InfluxPusher.Start(Traffic, InfluxDb));
        }

        if (Options.Profile.Metrics == DemoProfile.GraphiteMetrics)
        {
            Graphite = Own(await GraphiteRunner.StartAsync(cancellationToken).ConfigureAwait(false));
            Own(GraphitePusher.Start(Traffic, Graphite));
        }

        Controller = ControllerHost.Build(ControllerOptionsFor(Options.Profile), services =>
        {
            services.RemoveAll<ILoggerProvider>();
            services.AddSingleton<ILoggerProvider>(ControllerLogs);
        });
        _owned.Add(Controller);
        await Controller.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    private ControllerOptions ControllerOptionsFor(DemoProfile profile)
    {
        var options = new ControllerOptions
        {
            Kubeconfig = _controllerKubeconfig,
            MetricsServer = Prometheus.Url,
            MeshProvider = profile.MeshProvider,
            HealthPort = FreePort(),
            MetricsPort = FreePort(),
            DashboardPort = Options.DashboardPort,
            DashboardControls = Options.DashboardPort != 0,
            LogFormat = LogFormat.Text,

            // As manifests/controller/deployment.yaml runs it.
            EnableLeaderElection = true,
            LeaderElectionNamespace = ControllerIdentity.Namespace,
        };
        return Options.TuneController is { } tune ? tune(options) : options;
    }

    /// <summary>The simulated users of the app (blue/green: the canary's traffic comes from the real load tester).</summary>
    private static IReadOnlyList<TrafficApp> Clients(DemoProfile profile, DemoTimings timings) =>
    [
        new TrafficApp
        {
            Namespace = DemoManifests.Namespace,
            Name = DemoManifests.AppName,
            Provider = profile.Provider,
            RequestsPerSecond = timings.RequestsPerSecond,
            Ingress = profile.Ingress,
        },
    ];

    private T Own<T>(T part)
        where T : IAsyncDisposable
    {
        _owned.Add(part);
        return part;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
