using System.Globalization;
using System.Text.Json.Nodes;
using Canary.Sandbox.Traffic.Sampling;
using Canary.Sandbox.Workloads;

namespace Canary.Sandbox.Traffic.Cluster;

/// <summary>How a workload's pods answer: error share and latency, read from <see cref="SandboxAnnotations"/>.</summary>
internal sealed record WorkloadBehavior(double ErrorRate, LatencyDistribution Latency)
{
    // p99 / p50 ratio assumed when only one of them is annotated.
    private const double DefaultTailRatio = 5;

    public static WorkloadBehavior Default { get; } = new(0, LatencyDistribution.Default);

    /// <summary>Reads the annotations; unparsable values fall back to the defaults (a typo must not stop traffic).</summary>
    public static WorkloadBehavior FromAnnotations(JsonObject? annotations)
    {
        if (annotations is null)
        {
            return Default;
        }

        var errorRate = double.TryParse(Text(annotations, SandboxAnnotations.ErrorRate), NumberStyles.Float, CultureInfo.InvariantCulture, out var rate)
            ? Math.Clamp(rate, 0, 1)
            : 0;
        var hasP50 = DurationText.TryParseMilliseconds(Text(annotations, SandboxAnnotations.LatencyP50), out var p50);
        var hasP99 = DurationText.TryParseMilliseconds(Text(annotations, SandboxAnnotations.LatencyP99), out var p99);
        var latency = (hasP50, hasP99) switch
        {
            (true, true) => new LatencyDistribution(p50, Math.Max(p50, p99)),
            (true, false) => new LatencyDistribution(p50, p50 * DefaultTailRatio),
            (false, true) => new LatencyDistribution(p99 / DefaultTailRatio, p99),
            _ => LatencyDistribution.Default,
        };
        return new WorkloadBehavior(errorRate, latency);
    }

    private static string? Text(JsonObject annotations, string key) =>
        annotations[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
