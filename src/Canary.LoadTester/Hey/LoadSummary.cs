using System.Globalization;
using System.Text;

namespace Canary.LoadTester.Hey;

/// <summary>
/// What one hey run did: requests completed, errors (non-2xx answers and transport errors, timeouts included), answers
/// by status code, transport errors by message, duration, rate and latency of the answered requests.
/// </summary>
public sealed record LoadSummary
{
    /// <summary>The percentiles hey prints.</summary>
    public static IReadOnlyList<double> Percents { get; } = [10, 25, 50, 75, 90, 95, 99];

    /// <summary>Requests completed (answered or failed).</summary>
    public long Requests { get; init; }

    /// <summary>Requests that got no answer or a status outside 200–299.</summary>
    public long Errors { get; init; }

    /// <summary>Answers by status code.</summary>
    public IReadOnlyDictionary<int, long> StatusCodes { get; init; } = new Dictionary<int, long>();

    /// <summary>Requests without an answer, by error message.</summary>
    public IReadOnlyDictionary<string, long> TransportErrors { get; init; } = new Dictionary<string, long>();

    /// <summary>From the first request to the last answer.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>Completed requests per second over <see cref="Duration"/>.</summary>
    public double RequestsPerSecond => Duration > TimeSpan.Zero ? Requests / Duration.TotalSeconds : 0;

    /// <summary>Latency of answered requests: fastest.</summary>
    public TimeSpan Fastest { get; init; }

    /// <summary>Latency of answered requests: slowest (the maximum).</summary>
    public TimeSpan Slowest { get; init; }

    /// <summary>Latency of answered requests: mean.</summary>
    public TimeSpan Average { get; init; }

    /// <summary>Latency of answered requests at each of <see cref="Percents"/>.</summary>
    public IReadOnlyDictionary<double, TimeSpan> Latency { get; init; } = new Dictionary<double, TimeSpan>();

    /// <summary>True when the run was stopped before it finished (tester timeout or shutdown).</summary>
    public bool Interrupted { get; init; }

    /// <summary>p50 latency.</summary>
    public TimeSpan P50 => Latency.GetValueOrDefault(50);

    /// <summary>p90 latency.</summary>
    public TimeSpan P90 => Latency.GetValueOrDefault(90);

    /// <summary>p99 latency.</summary>
    public TimeSpan P99 => Latency.GetValueOrDefault(99);

    /// <summary>Builds the summary of a finished run from its histogram and counters.</summary>
    internal static LoadSummary From(
        LatencyHistogram histogram, IReadOnlyDictionary<int, long> codes, IReadOnlyDictionary<string, long> transportErrors,
        TimeSpan duration, bool interrupted)
    {
        var failed = transportErrors.Values.Sum();
        return new LoadSummary
        {
            Requests = histogram.Count + failed,
            Errors = failed + codes.Where(c => c.Key is < 200 or > 299).Sum(c => c.Value),
            StatusCodes = codes,
            TransportErrors = transportErrors,
            Duration = duration,
            Fastest = histogram.Min,
            Slowest = histogram.Max,
            Average = histogram.Mean,
            Latency = Percents.ToDictionary(p => p, histogram.Percentile),
            Interrupted = interrupted,
        };
    }

    /// <summary>One log line: requests, errors, rate, p50/p90/p99/max.</summary>
    public string ToLine() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Requests} requests, {Errors} errors, {RequestsPerSecond:0.##} req/s over {Duration.TotalSeconds:0.###}s, latency p50 {Ms(P50)} p90 {Ms(P90)} p99 {Ms(P99)} max {Ms(Slowest)}{(Interrupted ? ", interrupted" : "")}");

    /// <summary>hey's text summary (its layout, plus the request and error totals).</summary>
    public string ToText()
    {
        var s = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        s.Append(inv, $"\nSummary:\n");
        s.Append(inv, $"  Total:\t{Duration.TotalSeconds:0.0000} secs\n");
        s.Append(inv, $"  Slowest:\t{Slowest.TotalSeconds:0.0000} secs\n");
        s.Append(inv, $"  Fastest:\t{Fastest.TotalSeconds:0.0000} secs\n");
        s.Append(inv, $"  Average:\t{Average.TotalSeconds:0.0000} secs\n");
        s.Append(inv, $"  Requests/sec:\t{RequestsPerSecond:0.0000}\n");
        s.Append(inv, $"  Requests:\t{Requests}\n");
        s.Append(inv, $"  Errors:\t{Errors} (non-2xx answers and requests without an answer)\n");
        if (Interrupted)
        {
            s.Append("  Interrupted:\tthe run was stopped before it finished\n");
        }

        s.Append("\nLatency distribution:\n");
        foreach (var (percent, latency) in Latency.OrderBy(l => l.Key))
        {
            s.Append(inv, $"  {percent}% in {latency.TotalSeconds:0.0000} secs\n");
        }

        s.Append("\nStatus code distribution:\n");
        foreach (var (code, count) in StatusCodes.OrderBy(c => c.Key))
        {
            s.Append(inv, $"  [{code}]\t{count} responses\n");
        }

        if (TransportErrors.Count > 0)
        {
            s.Append("\nError distribution:\n");
            foreach (var (message, count) in TransportErrors.OrderByDescending(e => e.Value))
            {
                s.Append(inv, $"  [{count}]\t{message}\n");
            }
        }

        return s.ToString();
    }

    private static string Ms(TimeSpan t) => t.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture) + "ms";
}
