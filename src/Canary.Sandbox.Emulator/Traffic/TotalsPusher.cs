using Canary.Sandbox.Traffic.Metrics;

namespace Canary.Sandbox.Traffic;

/// <summary>
/// Pushes a <see cref="TrafficSimulator"/>'s per-workload totals to a metrics store every flush interval, as an
/// application reporting through StatsD/Telegraf would (InfluxDB, Graphite). A failed flush is kept in
/// <see cref="LastError"/> and its totals are lost, as with a UDP StatsD. Dispose stops it after a last flush.
/// </summary>
public sealed class TotalsPusher : IAsyncDisposable
{
    private readonly TrafficSimulator _simulator;
    private readonly Func<IReadOnlyList<WorkloadTotals>, DateTimeOffset, CancellationToken, Task> _write;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    private TotalsPusher(TrafficSimulator simulator, Func<IReadOnlyList<WorkloadTotals>, DateTimeOffset, CancellationToken, Task> write, TimeSpan interval)
    {
        _simulator = simulator;
        _write = write;
        _loop = Task.Run(() => RunAsync(interval, _stop.Token));
    }

    /// <summary>The last flush's failure, or null.</summary>
    public string? LastError { get; private set; }

    /// <summary>Starts pushing <paramref name="simulator"/>'s totals through <paramref name="write"/> every <paramref name="interval"/> (1 s by default).</summary>
    public static TotalsPusher Start(TrafficSimulator simulator, Func<IReadOnlyList<WorkloadTotals>, DateTimeOffset, CancellationToken, Task> write, TimeSpan? interval = null)
    {
        ArgumentNullException.ThrowIfNull(simulator);
        ArgumentNullException.ThrowIfNull(write);
        return new TotalsPusher(simulator, write, interval ?? TimeSpan.FromSeconds(1));
    }

    /// <summary>Stops after a last flush.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task RunAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                await FlushAsync().ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }

        await FlushAsync().ConfigureAwait(false);
    }

    private async Task FlushAsync()
    {
        var totals = _simulator.DrainWorkloadTotals().Where(t => t.Requests > 0).ToList();
        if (totals.Count == 0)
        {
            return;
        }

        try
        {
            await _write(totals, DateTimeOffset.UtcNow, CancellationToken.None).ConfigureAwait(false);
            LastError = null;
        }
        catch (Exception e) when (e is HttpRequestException or InvalidOperationException or TaskCanceledException or IOException or System.Net.Sockets.SocketException)
        {
            LastError = e.Message;
        }
    }
}
