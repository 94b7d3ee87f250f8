using Microsoft.Extensions.Hosting;

namespace Canary.Controller.Informers;

/// <summary>Runs every informer for the life of the host (on followers too, so a new leader starts warm).</summary>
public sealed class InformerHostedService(ControllerCaches caches) : BackgroundService
{
    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(caches.All.Select(i => Task.Run(() => i.RunAsync(stoppingToken), CancellationToken.None)));
}
