using System.Net;
using System.Net.Sockets;
using Canary.Controller.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Canary.E2E.Infrastructure;

/// <summary>
/// One in-process controller host (the real <see cref="ControllerHost"/> composition root) pointed at the sandbox through a
/// kubeconfig. <see cref="KillAsync"/> stops it without a graceful drain, like a killed pod: work in flight is cancelled.
/// </summary>
public sealed class ControllerInstance : IAsyncDisposable
{
    private readonly WebApplication _app;
    private bool _stopped;

    private ControllerInstance(WebApplication app, ControllerOptions options)
    {
        _app = app;
        Options = options;
    }

    public ControllerOptions Options { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Builds and starts a host; <paramref name="configureServices"/> runs after the controller's own registrations.</summary>
    public static async Task<ControllerInstance> StartAsync(
        ControllerOptions options, LogSink logs, Action<IServiceCollection>? configureServices, CancellationToken cancellationToken)
    {
        options = options with { HealthPort = FreePort(), MetricsPort = FreePort() };
        var app = ControllerHost.Build(options, services =>
        {
            // Parallel controllers would interleave on the console: keep each one's lines apart.
            services.RemoveAll<ILoggerProvider>();
            services.AddSingleton<ILoggerProvider>(logs);
            configureServices?.Invoke(services);
        });
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return new ControllerInstance(app, options);
    }

    /// <summary>Abrupt stop: hosted services get an already-cancelled token, so reconciles in flight are abandoned mid-tick.</summary>
    public async Task KillAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        using var killed = new CancellationTokenSource();
        await killed.CancelAsync();
        try
        {
            await _app.StopAsync(killed.Token);
        }
        catch (OperationCanceledException)
        {
            // Expected: nothing is waited for.
        }

        await _app.DisposeAsync();
    }

    /// <summary>Graceful stop (the fixture's teardown).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _app.StopAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // A reconcile that did not finish in time; teardown goes on.
        }

        await _app.DisposeAsync();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
