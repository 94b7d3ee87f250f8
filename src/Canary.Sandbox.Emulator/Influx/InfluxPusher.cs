using System.Globalization;
using System.Text;
using Canary.Sandbox.Traffic;

namespace Canary.Sandbox.Influx;

/// <summary>
/// Pushes the traffic simulator's per-workload totals to an InfluxDB every flush interval, as an application reporting
/// through StatsD/Telegraf would: one point per workload and flush in measurement <see cref="Measurement"/>, tags
/// <c>namespace</c> and <c>workload</c>, fields <c>requests</c>, <c>errors</c> (5xx) and <c>duration_ms_sum</c>.
/// Dispose stops it after a last flush.
/// </summary>
public sealed class InfluxPusher : IAsyncDisposable
{
    /// <summary>The measurement the points go to.</summary>
    public const string Measurement = "http_requests";

    private readonly TrafficSimulator _simulator;
    private readonly InfluxDbRunner _influx;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    private InfluxPusher(TrafficSimulator simulator, InfluxDbRunner influx, TimeSpan interval)
    {
        _simulator = simulator;
        _influx = influx;
        _loop = Task.Run(() => RunAsync(interval, _stop.Token));
    }

    /// <summary>The last write's failure, or null: a failed flush is retried with the next one's totals lost, as a UDP StatsD would.</summary>
    public string? LastError { get; private set; }

    /// <summary>Starts pushing <paramref name="simulator"/>'s totals to <paramref name="influx"/> every <paramref name="interval"/> (1 s by default).</summary>
    public static InfluxPusher Start(TrafficSimulator simulator, InfluxDbRunner influx, TimeSpan? interval = null)
    {
        ArgumentNullException.ThrowIfNull(simulator);
        ArgumentNullException.ThrowIfNull(influx);
        return new InfluxPusher(simulator, influx, interval ?? TimeSpan.FromSeconds(1));
    }

    /// <summary>The line protocol of <paramref name="totals"/> stamped <paramref name="at"/> (workloads without requests left out).</summary>
    public static string LineProtocol(IEnumerable<Traffic.Metrics.WorkloadTotals> totals, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(totals);
        var nanoseconds = (at.ToUnixTimeMilliseconds() * 1_000_000).ToString(CultureInfo.InvariantCulture);
        var lines = new StringBuilder();
        foreach (var t in totals.Where(t => t.Requests > 0))
        {
            lines.Append(CultureInfo.InvariantCulture, $"{Measurement},namespace={Escape(t.Namespace)},workload={Escape(t.Workload)} ")
                .Append(CultureInfo.InvariantCulture, $"requests={t.Requests}i,errors={t.Errors}i,duration_ms_sum={t.DurationSumMs.ToString("R", CultureInfo.InvariantCulture)} {nanoseconds}\n");
        }

        return lines.ToString();
    }

    /// <summary>Stops after a last flush.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }

    // Tag values escape commas, spaces and equals signs (InfluxDB line protocol).
    private static string Escape(string tag) => tag.Replace(",", "\\,", StringComparison.Ordinal).Replace(" ", "\\ ", StringComparison.Ordinal).Replace("=", "\\=", StringComparison.Ordinal);

    private async Task RunAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                await FlushAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }

        await FlushAsync(CancellationToken.None).ConfigureAwait(false);
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        var lines = LineProtocol(_simulator.DrainWorkloadTotals(), DateTimeOffset.UtcNow);
        if (lines.Length == 0)
        {
            return;
        }

        try
        {
            await _influx.WriteAsync(lines, cancellationToken).ConfigureAwait(false);
            LastError = null;
        }
        catch (Exception e) when (e is HttpRequestException or InvalidOperationException or TaskCanceledException)
        {
            LastError = e.Message;
        }
    }
}
