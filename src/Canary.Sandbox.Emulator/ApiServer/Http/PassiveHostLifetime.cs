using Microsoft.Extensions.Hosting;

namespace Canary.Sandbox.ApiServer.Http;

/// <summary>
/// A host lifetime that does not hook SIGINT/SIGTERM: the embedding process (tests, or the serve command through
/// System.CommandLine) owns the signals and disposes the server itself.
/// </summary>
internal sealed class PassiveHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
