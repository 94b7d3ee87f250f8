using Canary.Api.V1Beta1;
using Canary.Controller.Hosting;
using Canary.Rollout.Engine;
using Canary.Rollout.StateMachine;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using k8s;

namespace Canary.E2E.Chaos;

/// <summary>
/// One life of the controller: the real composition root (<see cref="ControllerHost.Build"/>) with its rollout engine,
/// acting as the controller's ServiceAccount through a <see cref="CrashSwitch"/>, on the driver's clock. Reads go straight
/// to the API server instead of informer caches, so a tick sees every write before it. Nothing survives a crash except
/// what the API server holds: a restart is a new <see cref="ControllerProcess"/>.
/// </summary>
public sealed class ControllerProcess : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly IKubernetes _client;
    private readonly CancellationTokenSource _lifetime;

    private ControllerProcess(WebApplication app, IKubernetes client, CancellationTokenSource lifetime, CrashSwitch crash)
    {
        _app = app;
        _client = client;
        _lifetime = lifetime;
        Crash = crash;
        Engine = app.Services.GetRequiredService<RolloutEngine>();
    }

    public RolloutEngine Engine { get; }

    public CrashSwitch Crash { get; }

    /// <summary>Cancelled when the process crashes.</summary>
    public CancellationToken Token => _lifetime.Token;

    /// <summary>Composes a process for <paramref name="chaos"/>; <paramref name="crashAt"/> arms its crash, if any.</summary>
    public static ControllerProcess Start(ChaosFixture fixture, ChaosCase chaos, TimeProvider clock, (int Number, CrashMode Mode)? crashAt)
    {
        var lifetime = new CancellationTokenSource();
        var crash = new CrashSwitch(lifetime, crashAt);
        var client = new k8s.Kubernetes(fixture.Server.ClientConfiguration(fixture.Controller.Token), crash);
        var options = new ControllerOptions { Kubeconfig = fixture.Kubeconfig, MeshProvider = chaos.Provider, LogFormat = LogFormat.Text };
        var app = ControllerHost.Build(options, services =>
        {
            services.RemoveAll<ILoggerProvider>();
            services.Replace(ServiceDescriptor.Singleton(clock));
            services.Replace(ServiceDescriptor.Singleton<IKubernetes>(client));
            services.Replace(ServiceDescriptor.Singleton<IClusterReader>(new KubernetesClusterReader(client)));
            services.Replace(ServiceDescriptor.Singleton<IAnalysisRunner>(new ScriptedAnalysis(chaos)));
        });
        return new ControllerProcess(app, client, lifetime, crash);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _client.Dispose();
        _lifetime.Dispose();
    }

    /// <summary>Metric checks without a metrics server: they pass, or fail where the case says the release goes bad.</summary>
    private sealed class ScriptedAnalysis(ChaosCase chaos) : IAnalysisRunner
    {
        public Task<CheckOutcome> AnalyzeAsync(CanaryResource canary, Canary.MetricTemplates.Templates.MetricRoutes? routes, CancellationToken cancellationToken) =>
            Task.FromResult(chaos.AnalysisFails(canary.Status) ? CheckOutcome.Fail("request-success-rate 91.20 < 99") : CheckOutcome.Pass);

        public Task<CheckOutcome> CheckProvidersAsync(CanaryResource canary, CancellationToken cancellationToken) => Task.FromResult(CheckOutcome.Pass);
    }
}
