using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;

namespace Canary.Controller.Benchmarks;

/// <summary>Percentiles and the number formats of the tables.</summary>
internal static class Stats
{
    public static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    /// <summary>"p50 / p99 / max" of <paramref name="values"/> (any order) with <paramref name="format"/>.</summary>
    public static string Summary(IEnumerable<double> values, string format = "F0")
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0
            ? "- / - / -"
            : string.Create(CultureInfo.InvariantCulture, $"{F(Percentile(sorted, 0.5), format)} / {F(Percentile(sorted, 0.99), format)} / {F(sorted[^1], format)}");
    }

    public static string F(double value, string format = "F1") =>
        double.IsNaN(value) ? "-" : value.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>A whole number from a JSON node holding an int, a long or a double (stored objects hold all three); else the fallback.</summary>
    public static long Long(JsonNode? node, long fallback = 0) => node is JsonValue v
        ? v.TryGetValue<long>(out var l) ? l : v.TryGetValue<int>(out var i) ? i : v.TryGetValue<double>(out var d) ? (long)d : fallback
        : fallback;

    /// <summary>Milliseconds between two <see cref="Stopwatch"/> timestamps (CLOCK_MONOTONIC: comparable across processes).</summary>
    public static double Ms(long from, long to) => (to - from) * 1000.0 / Stopwatch.Frequency;
}
