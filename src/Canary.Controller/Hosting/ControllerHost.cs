using System.Reflection;
using Canary.Controller.Composition;
using Canary.Controller.Dashboard;
using Canary.Controller.Health;
using Canary.Controller.Informers;
using Canary.Controller.Kubernetes;
using Canary.Controller.LeaderElection;
using Canary.Controller.Queue;
using Canary.Controller.Reconciliation;
using Canary.Controller.Sharding;
using Canary.Controller.Telemetry;
using k8s;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Canary.Controller.Hosting;

/// <summary>The composition root: builds the controller's web host from <see cref="ControllerOptions"/>.</summary>
public static class ControllerHost
{
    /// <summary>The controller's version (assembly informational version).</summary>
    public static string Version { get; } =
        typeof(ControllerHost).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    /// <summary>
    /// Builds the host with the rollout engine as its reconciler. <paramref name="configureServices"/> runs last, so tests
    /// can replace registrations (e.g. <see cref="IReconciler"/>, an engine seam such as IHookGate,
    /// <see cref="TimeProvider"/>, <see cref="KubernetesClientConfiguration"/>).
    /// </summary>
    public static WebApplication Build(ControllerOptions options, Action<IServiceCollection>? configureServices = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.ListenAnyIP(options.HealthPort);
            if (options.MetricsPort != options.HealthPort)
            {
                kestrel.ListenAnyIP(options.MetricsPort);
            }

            if (options.DashboardPort != 0)
            {
                kestrel.ListenAnyIP(options.DashboardPort);
            }
        });
        ConfigureLogging(builder.Logging, options.LogFormat);
        AddControllerServices(builder.Services, options);
        configureServices?.Invoke(builder.Services);

        var app = builder.Build();
        var caches = app.Services.GetRequiredService<ControllerCaches>();
        app.Services.GetRequiredService<CanaryEventRouter>();
        app.Services.GetRequiredService<CanaryMetricsRecorder>()
            .TrackCanaries(() => caches.Canaries.Store.CountByIndex(CacheStore<Api.V1Beta1.Canary>.NamespaceIndex));
        app.UseOpenTelemetryPrometheusScrapingEndpoint(
            context => context.Connection.LocalPort == options.MetricsPort && context.Request.Path == "/metrics");
        app.UseHealthEndpoints(options.HealthPort, caches, app.Services.GetRequiredService<ILeadership>());
        if (options.DashboardPort != 0)
        {
            app.Services.GetRequiredService<DashboardUpdates>();
            app.UseDashboard(options.DashboardPort, options.DashboardControls, TimeSpan.FromSeconds(15));
        }

        return app;
    }

    /// <summary>Registers every controller service (without the web parts).</summary>
    public static IServiceCollection AddControllerServices(IServiceCollection services, ControllerOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        services.Configure<HostOptions>(h => h.ShutdownTimeout = TimeSpan.FromSeconds(30));
        services.AddSingleton(options);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(new InformerOptions { WatchTimeout = options.WatchTimeout });
        services.AddSingleton<ControllerMetrics>();
        services.AddSingleton(sp => new CanaryMetricsRecorder(sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), Version, options.MeshProvider));
        services.AddSingleton(_ => KubernetesClientFactory.LoadConfiguration(options.Kubeconfig));
        services.AddSingleton(sp => KubernetesClientFactory.Create(
            sp.GetRequiredService<KubernetesClientConfiguration>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ControllerMetrics>(), options.KubeApiQps, options.KubeApiBurst));
        services.AddSingleton<ControllerCaches>();
        services.AddSingleton(sp => new DashboardReader(sp.GetRequiredService<ControllerCaches>(), sp.GetRequiredService<TimeProvider>(), options.DashboardControls));
        services.AddSingleton<DashboardUpdates>();
        services.AddSingleton<DashboardControls>();
        services.AddSingleton(sp =>
        {
            var metrics = sp.GetRequiredService<ControllerMetrics>();
            var queue = new WorkQueue<CanaryKey>(sp.GetRequiredService<TimeProvider>(), ExponentialBackoff.Default, new WorkQueueMetricsObserver(metrics));
            metrics.TrackQueue("canary", () => queue.Count);
            return queue;
        });
        services.AddSingleton<CanaryEventRouter>();
        services.AddRolloutEngine(options);
        services.AddHostedService<InformerHostedService>();
        services.AddSingleton<HandoffReads>();
        if (options.EnableSharding)
        {
            services.AddSingleton<ShardCoordinator>();
            services.AddSingleton<ILeadership>(sp => sp.GetRequiredService<ShardCoordinator>());
            services.AddSingleton<IReconcileGate>(sp => sp.GetRequiredService<ShardCoordinator>());
            services.AddHostedService(sp => sp.GetRequiredService<ShardCoordinator>());
        }
        else if (options.EnableLeaderElection)
        {
            services.AddSingleton<IReconcileGate, OpenReconcileGate>();
            services.AddSingleton<LeaseLeaderElector>();
            services.AddSingleton<ILeadership>(sp => sp.GetRequiredService<LeaseLeaderElector>());
            services.AddHostedService(sp => sp.GetRequiredService<LeaseLeaderElector>());
        }
        else
        {
            services.AddSingleton<IReconcileGate, OpenReconcileGate>();
            services.AddSingleton<ILeadership, AlwaysLeader>();
        }

        // Registered after the elector (or shard member): hosts stop services in reverse order, so workers finish before
        // the lease is released.
        services.AddHostedService<ReconcileWorkers>();
        // OTLP only where the OTEL_* variables ask for it (Telemetry/OtlpExport.cs); Prometheus always.
        services.AddOtlpExportSettings();
        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddControllerService(Version))
            .WithMetrics(m => m.AddMeter(ControllerMetrics.MeterName).AddPrometheusExporter(o =>
            {
                o.ScrapeResponseCacheDurationMilliseconds = 0;
                o.ScopeInfoEnabled = false;
            }).AddOtlpExportWhenConfigured())
            .WithTracing(t => t.AddSource(ControllerActivitySource.Name).AddOtlpExportWhenConfigured());
        return services;
    }

    private static void ConfigureLogging(ILoggingBuilder logging, LogFormat format)
    {
        logging.ClearProviders();
        logging.AddFilter("Microsoft", LogLevel.Warning);
        logging.AddFilter("System", LogLevel.Warning);
        if (format == LogFormat.Json)
        {
            logging.AddJsonConsole(o =>
            {
                o.IncludeScopes = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            });
        }
        else
        {
            logging.AddSimpleConsole(o =>
            {
                o.IncludeScopes = true;
                o.SingleLine = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "HH:mm:ss.fff ";
            });
        }
    }
}
