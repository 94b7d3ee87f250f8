using System.Globalization;
using System.Text;
using Canary.Sandbox.Traffic;
using Canary.Sandbox.Traffic.Metrics;

namespace Canary.Sandbox.Influx;

/// <summary>
/// The traffic simulator's per-workload totals as InfluxDB points: measurement <see cref="Measurement"/>, tags
/// <c>namespace</c> and <c>workload</c>, fields <c>requests</c>, <c>errors</c> (5xx) and <c>duration_ms_sum</c>.
/// </summary>
public static class InfluxPusher
{
    /// <summary>The measurement the points go to.</summary>
    public const string Measurement = "http_requests";

    /// <summary>Pushes <paramref name="simulator"/>'s totals to <paramref name="influx"/> every second.</summary>
    public static TotalsPusher Start(TrafficSimulator simulator, InfluxDbRunner influx)
    {
        ArgumentNullException.ThrowIfNull(influx);
        return TotalsPusher.Start(simulator, (totals, at, ct) => influx.WriteAsync(LineProtocol(totals, at), ct));
    }

    /// <summary>The line protocol of <paramref name="totals"/> stamped <paramref name="at"/>.</summary>
    public static string LineProtocol(IEnumerable<WorkloadTotals> totals, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(totals);
        var nanoseconds = (at.ToUnixTimeMilliseconds() * 1_000_000).ToString(CultureInfo.InvariantCulture);
        var lines = new StringBuilder();
        foreach (var t in totals)
        {
            lines.Append(CultureInfo.InvariantCulture, $"{Measurement},namespace={Escape(t.Namespace)},workload={Escape(t.Workload)} ")
                .Append(CultureInfo.InvariantCulture, $"requests={t.Requests}i,errors={t.Errors}i,duration_ms_sum={t.DurationSumMs.ToString("R", CultureInfo.InvariantCulture)} {nanoseconds}\n");
        }

        return lines.ToString();
    }

    // Tag values escape commas, spaces and equals signs (InfluxDB line protocol).
    private static string Escape(string tag) => tag.Replace(",", "\\,", StringComparison.Ordinal).Replace(" ", "\\ ", StringComparison.Ordinal).Replace("=", "\\=", StringComparison.Ordinal);
}
