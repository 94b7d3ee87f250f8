using System.Runtime.InteropServices;

namespace Canary.Sandbox.Commands;

/// <summary>
/// A token that SIGINT (Ctrl+C) and SIGTERM cancel, besides the command's own: a long-running command then stops
/// cleanly and tears down what it started, instead of leaving the signal to the runtime's default handling.
/// </summary>
internal sealed class StopSignals : IDisposable
{
    private readonly CancellationTokenSource _stop;
    private readonly PosixSignalRegistration _sigterm;
    private readonly PosixSignalRegistration _sigint;

    /// <summary>Starts listening; <paramref name="cancellationToken"/> stops too.</summary>
    public StopSignals(CancellationToken cancellationToken)
    {
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        _sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
    }

    /// <summary>Cancelled by either signal or the command's token.</summary>
    public CancellationToken Token => _stop.Token;

    public void Dispose()
    {
        _sigint.Dispose();
        _sigterm.Dispose();
        _stop.Dispose();
    }

    private void Stop(PosixSignalContext context)
    {
        context.Cancel = true;
        _stop.Cancel();
    }
}
