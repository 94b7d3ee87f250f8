using System.Globalization;
using System.Text;
using Canary.Sandbox.Traffic;
using Canary.Sandbox.Traffic.Metrics;

namespace Canary.Sandbox.Graphite;

/// <summary>
/// The traffic simulator's per-workload totals as Graphite series, StatsD-style:
/// <c>canary.&lt;namespace&gt;.&lt;workload&gt;.requests|errors|duration_ms_sum</c> (dots in names become underscores).
/// </summary>
public static class GraphitePusher
{
    /// <summary>The first node of every path.</summary>
    public const string Prefix = "canary";

    /// <summary>Pushes <paramref name="simulator"/>'s totals to <paramref name="graphite"/> every second.</summary>
    public static TotalsPusher Start(TrafficSimulator simulator, GraphiteRunner graphite)
    {
        ArgumentNullException.ThrowIfNull(graphite);
        return TotalsPusher.Start(simulator, (totals, at, ct) => graphite.WriteAsync(Plaintext(totals, at), ct));
    }

    /// <summary>The plaintext protocol lines of <paramref name="totals"/> stamped <paramref name="at"/>.</summary>
    public static string Plaintext(IEnumerable<WorkloadTotals> totals, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(totals);
        var seconds = at.ToUnixTimeSeconds();
        var lines = new StringBuilder();
        foreach (var t in totals)
        {
            var path = $"{Prefix}.{Node(t.Namespace)}.{Node(t.Workload)}";
            lines.Append(CultureInfo.InvariantCulture, $"{path}.requests {t.Requests} {seconds}\n")
                .Append(CultureInfo.InvariantCulture, $"{path}.errors {t.Errors} {seconds}\n")
                .Append(CultureInfo.InvariantCulture, $"{path}.duration_ms_sum {t.DurationSumMs.ToString("R", CultureInfo.InvariantCulture)} {seconds}\n");
        }

        return lines.ToString();
    }

    private static string Node(string name) => name.Replace('.', '_');
}
