using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Canary.Controller.Hosting;
using Canary.Controller.Informers;
using Canary.Controller.Reconciliation;
using Canary.MetricTemplates.Templates;
using Canary.Providers.Routing;
using Canary.Rollout.Engine;
using Canary.Rollout.StateMachine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Canary.Controller.Benchmarks;

/// <summary>What a controller process is started with (the controller's own flags the benchmark varies).</summary>
internal sealed record HostSettings(
    string Kubeconfig, Uri MetricsServer, string MeshProvider, int Threadiness, double Qps, int Burst, bool LeaderElection, bool Sharding);

/// <summary>
/// The <c>controller</c> mode: one real controller host (<see cref="ControllerHost"/>, the rollout engine as its
/// reconciler) in its own process, so its working set, heap and CPU time are its own. Three registrations are
/// decorated to timestamp what the benchmark measures, each delegating to the real one: the reconciler (a worker took
/// the key), the router resolver (the engine began a rollout tick: it resolves the router once per tick) and the
/// analysis runner (the metric queries of a check). Protocol on stdin/stdout, one line each: the parent sends
/// <c>mem</c>, <c>trace on|off</c> or <c>stop</c>; replies start with <c>=</c>, trace records with
/// <c>R|T|A namespace/name start end</c> (Stopwatch timestamps, CLOCK_MONOTONIC, comparable across processes).
/// The controller's logs go to stderr.
/// </summary>
internal static class ControllerChild
{
    public static async Task<int> MainAsync(string settingsJson)
    {
        var settings = JsonSerializer.Deserialize<HostSettings>(settingsJson) ?? throw new ArgumentException("no settings");
        var trace = new TraceWriter();
        var options = new ControllerOptions
        {
            Kubeconfig = settings.Kubeconfig,
            MetricsServer = settings.MetricsServer,
            MeshProvider = settings.MeshProvider,
            HealthPort = Cli.FreePort(),
            MetricsPort = Cli.FreePort(),
            LogFormat = LogFormat.Text,
            Threadiness = settings.Threadiness,
            KubeApiQps = settings.Qps,
            KubeApiBurst = settings.Burst,
            EnableLeaderElection = settings.LeaderElection,
            EnableSharding = settings.Sharding,
        };
        await using var app = ControllerHost.Build(options, services =>
        {
            services.Configure<LoggerFilterOptions>(o => o.MinLevel = LogLevel.Warning);
            services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
            Decorate<IReconciler>(services, inner => new TracedReconciler(inner, trace));
            Decorate<ITrafficRouterResolver>(services, inner => new TracedRouterResolver(inner, trace));
            Decorate<IAnalysisRunner>(services, inner => new TracedAnalysisRunner(inner, trace));
        });
        var caches = app.Services.GetRequiredService<ControllerCaches>();
        Reply($"starting {Stopwatch.GetTimestamp()}");
        await app.StartAsync();
        await caches.WaitForSyncAsync(CancellationToken.None);
        Reply($"synced {Stopwatch.GetTimestamp()}");
        while (await Console.In.ReadLineAsync() is { } command && command != "stop")
        {
            switch (command)
            {
                case "mem":
                    var (workingSet, heap) = Memory();
                    Reply($"mem {workingSet} {heap}");
                    break;
                case "trace on" or "trace off":
                    trace.Enabled = command == "trace on";
                    Reply("ok");
                    break;
                default:
                    Reply($"unknown {command}");
                    break;
            }
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await app.StopAsync(timeout.Token);
        return 0;
    }

    private static void Reply(string line) => Console.Out.WriteLine("=" + line);

    private static (long WorkingSet, long Heap) Memory()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return (process.WorkingSet64, GC.GetTotalMemory(forceFullCollection: false));
    }

    // Replaces the last registration of T by a wrapper around what it would have produced.
    private static void Decorate<T>(IServiceCollection services, Func<T, T> wrap)
        where T : class
    {
        var original = services.Last(d => d.ServiceType == typeof(T));
        services.Remove(original);
        services.Add(ServiceDescriptor.Describe(typeof(T), sp => wrap((T)Create(sp, original)), original.Lifetime));
    }

    private static object Create(IServiceProvider services, ServiceDescriptor descriptor) =>
        descriptor.ImplementationInstance
        ?? descriptor.ImplementationFactory?.Invoke(services)
        ?? ActivatorUtilities.CreateInstance(services, descriptor.ImplementationType!);

    /// <summary>Writes trace records to stdout while enabled (off during cache fill so 10,000 initial ticks cost nothing).</summary>
    private sealed class TraceWriter
    {
        private volatile bool _enabled;

        public bool Enabled
        {
            get => _enabled;
            set => _enabled = value;
        }

        public void Write(char kind, string ns, string name, long start, long end)
        {
            if (_enabled)
            {
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{kind} {ns}/{name} {start} {end}"));
            }
        }
    }

    private sealed class TracedReconciler(IReconciler inner, TraceWriter trace) : IReconciler
    {
        public async Task<ReconcileResult> ReconcileAsync(CanaryKey key, CancellationToken cancellationToken)
        {
            var start = Stopwatch.GetTimestamp();
            try
            {
                return await inner.ReconcileAsync(key, cancellationToken);
            }
            finally
            {
                trace.Write('R', key.Namespace, key.Name, start, Stopwatch.GetTimestamp());
            }
        }
    }

    private sealed class TracedRouterResolver(ITrafficRouterResolver inner, TraceWriter trace) : ITrafficRouterResolver
    {
        public string ProviderOf(Api.V1Beta1.Canary canary) => inner.ProviderOf(canary);

        public ITrafficRouter RouterFor(Api.V1Beta1.Canary canary)
        {
            var now = Stopwatch.GetTimestamp();
            trace.Write('T', canary.Metadata.NamespaceProperty, canary.Metadata.Name, now, now);
            return inner.RouterFor(canary);
        }
    }

    private sealed class TracedAnalysisRunner(IAnalysisRunner inner, TraceWriter trace) : IAnalysisRunner
    {
        public async Task<CheckOutcome> AnalyzeAsync(Api.V1Beta1.Canary canary, MetricRoutes? routes, CancellationToken cancellationToken)
        {
            var start = Stopwatch.GetTimestamp();
            try
            {
                return await inner.AnalyzeAsync(canary, routes, cancellationToken);
            }
            finally
            {
                trace.Write('A', canary.Metadata.NamespaceProperty, canary.Metadata.Name, start, Stopwatch.GetTimestamp());
            }
        }

        public Task<CheckOutcome> CheckProvidersAsync(Api.V1Beta1.Canary canary, CancellationToken cancellationToken) =>
            inner.CheckProvidersAsync(canary, cancellationToken);
    }
}
