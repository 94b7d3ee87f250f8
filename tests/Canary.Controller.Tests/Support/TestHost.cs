using Canary.Controller.Hosting;
using Canary.Controller.Informers;
using Canary.Controller.LeaderElection;
using Canary.Controller.Reconciliation;
using Canary.Sandbox.ApiServer;
using k8s;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Canary.Controller.Tests.Support;

/// <summary>The real controller host, in process, pointed at a sandbox through a kubeconfig file, with a recording reconciler
/// (or, with <c>withEngine</c>, the rollout engine it ships with).</summary>
internal sealed class TestHost : IAsyncDisposable
{
    private readonly string _kubeconfig;

    private TestHost(WebApplication app, ControllerOptions options, string kubeconfig)
    {
        App = app;
        Options = options;
        _kubeconfig = kubeconfig;
    }

    public WebApplication App { get; }

    public ControllerOptions Options { get; }

    public RecordingReconciler Reconciler => App.Services.GetRequiredService<RecordingReconciler>();

    public ControllerCaches Caches => App.Services.GetRequiredService<ControllerCaches>();

    public ILeadership Leadership => App.Services.GetRequiredService<ILeadership>();

    public Uri Health => new($"http://127.0.0.1:{Options.HealthPort}/");

    public Uri Metrics => new($"http://127.0.0.1:{Options.MetricsPort}/metrics");

    public static async Task<TestHost> StartAsync(
        SandboxApiServer server, Func<ControllerOptions, ControllerOptions>? configure = null, bool withEngine = false, Action<IServiceCollection>? services = null)
    {
        var kubeconfig = server.WriteKubeconfig(Path.Combine(Path.GetTempPath(), $"canary-kubeconfig-{Guid.NewGuid():N}.yaml"));
        var options = new ControllerOptions
        {
            Kubeconfig = kubeconfig,
            HealthPort = SandboxKit.FreePort(),
            MetricsPort = SandboxKit.FreePort(),
            LogFormat = LogFormat.Text,
            MeshProvider = "istio",
            Threadiness = 4,
            WatchTimeout = TimeSpan.FromSeconds(30),
        };
        options = configure?.Invoke(options) ?? options;
        var app = ControllerHost.Build(options, registrations =>
        {
            registrations.AddSingleton<RecordingReconciler>();
            if (!withEngine)
            {
                registrations.Replace(ServiceDescriptor.Singleton<IReconciler>(sp => sp.GetRequiredService<RecordingReconciler>()));
            }

            services?.Invoke(registrations);
        });
        await app.StartAsync();
        return new TestHost(app, options, kubeconfig);
    }

    public async Task StopAsync() => await App.StopAsync();

    public async ValueTask DisposeAsync()
    {
        try
        {
            await App.StopAsync();
        }
        catch (ObjectDisposedException)
        {
            // Already torn down by a test that simulated a crash.
        }

        await App.DisposeAsync();
        File.Delete(_kubeconfig);
    }
}
