using System.Globalization;
using System.Text;

namespace Canary.Sandbox.Traffic.Metrics;

/// <summary>
/// Cumulative counters and histograms by family and label set, rendered in the Prometheus text format 0.0.4.
/// Not thread-safe by itself: writers and the renderer hold <see cref="SyncRoot"/> (one lock per tick, not per request).
/// </summary>
internal sealed class MetricRegistry
{
    private readonly SortedDictionary<string, Family> _families = new(StringComparer.Ordinal);

    public Lock SyncRoot { get; } = new();

    public CounterSeries Counter(string name, string help, params (string Name, string Value)[] labels) =>
        (CounterSeries)Series(name, "counter", help, null, labels);

    public HistogramSeries Histogram(string name, string help, double[] bounds, params (string Name, string Value)[] labels) =>
        (HistogramSeries)Series(name, "histogram", help, bounds, labels);

    public void WriteTo(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        foreach (var family in _families.Values)
        {
            writer.Write($"# HELP {family.Name} {family.Help}\n# TYPE {family.Name} {family.Type}\n");
            foreach (var (labels, series) in family.Series)
            {
                series.WriteTo(writer, family.Name, labels);
            }
        }
    }

    /// <summary>Escapes a label value as the exposition format requires (backslash, quote, newline).</summary>
    public static string Escape(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    public static string Braced(string labels) => labels.Length == 0 ? string.Empty : "{" + labels + "}";

    public static string Format(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        _ => value.ToString(CultureInfo.InvariantCulture),
    };

    private MetricSeries Series(string name, string type, string help, double[]? bounds, (string Name, string Value)[] labels)
    {
        if (!_families.TryGetValue(name, out var family))
        {
            family = new Family(name, type, help);
            _families[name] = family;
        }

        var key = new StringBuilder();
        foreach (var (labelName, value) in labels)
        {
            key.Append(key.Length == 0 ? string.Empty : ",").Append(labelName).Append("=\"").Append(Escape(value)).Append('"');
        }

        var text = key.ToString();
        if (!family.Series.TryGetValue(text, out var series))
        {
            series = bounds is null ? new CounterSeries() : new HistogramSeries(bounds);
            family.Series[text] = series;
        }

        return series;
    }

    private sealed record Family(string Name, string Type, string Help)
    {
        public SortedDictionary<string, MetricSeries> Series { get; } = new(StringComparer.Ordinal);
    }
}

/// <summary>One labelled series of a family.</summary>
internal abstract class MetricSeries
{
    public abstract void WriteTo(TextWriter writer, string name, string labels);
}

/// <summary>A monotonically increasing count.</summary>
internal sealed class CounterSeries : MetricSeries
{
    public double Value { get; private set; }

    public void Add(double amount) => Value += amount;

    public override void WriteTo(TextWriter writer, string name, string labels) =>
        writer.Write($"{name}{MetricRegistry.Braced(labels)} {MetricRegistry.Format(Value)}\n");
}

/// <summary>A histogram with fixed upper bounds, written cumulatively with <c>le</c>, <c>+Inf</c>, <c>_sum</c> and <c>_count</c>.</summary>
internal sealed class HistogramSeries(double[] bounds) : MetricSeries
{
    private readonly long[] _counts = new long[bounds.Length + 1];

    public long Count { get; private set; }

    public double Sum { get; private set; }

    /// <summary>
    /// One observation per answer of a group of <paramref name="count"/>: each latency in milliseconds divided by
    /// <paramref name="millisecondsPerUnit"/>, or 0 for each when the proxy answered itself (no latency: a proxy that
    /// observes every response it sends, as Traefik, Skipper and APISIX do).
    /// </summary>
    public void ObserveAnswers(ReadOnlySpan<double> latenciesMs, int count, double millisecondsPerUnit)
    {
        if (latenciesMs.IsEmpty)
        {
            for (var i = 0; i < count; i++)
            {
                Observe(0);
            }

            return;
        }

        foreach (var ms in latenciesMs)
        {
            Observe(ms / millisecondsPerUnit);
        }
    }

    public void Observe(double value)
    {
        var index = Array.BinarySearch(bounds, value);
        _counts[index >= 0 ? index : ~index]++;
        Count++;
        Sum += value;
    }

    public override void WriteTo(TextWriter writer, string name, string labels)
    {
        var prefix = labels.Length == 0 ? string.Empty : labels + ",";
        long cumulative = 0;
        for (var i = 0; i < bounds.Length; i++)
        {
            cumulative += _counts[i];
            writer.Write($"{name}_bucket{{{prefix}le=\"{MetricRegistry.Format(bounds[i])}\"}} {cumulative}\n");
        }

        writer.Write($"{name}_bucket{{{prefix}le=\"+Inf\"}} {Count}\n");
        writer.Write($"{name}_sum{MetricRegistry.Braced(labels)} {MetricRegistry.Format(Sum)}\n");
        writer.Write($"{name}_count{MetricRegistry.Braced(labels)} {Count}\n");
    }
}
