using System.Text.Json.Nodes;
using Canary.Api.Durations;
using Canary.Sandbox.ApiServer.Http;

namespace Canary.Sandbox.Scenarios;

/// <summary>
/// A way of deciding releases: the Canary's <c>spec.analysis</c> in scenario (unscaled) time, as a user would write it.
/// Every scenario runs under every selected policy; <see cref="Analysis"/> scales it.
/// </summary>
/// <param name="Name">flagger or judge.</param>
/// <param name="AnalysisYaml">The unscaled <c>spec.analysis</c>.</param>
public sealed record DecisionPolicy(string Name, string AnalysisYaml)
{
    /// <summary>The unscaled analysis as JSON.</summary>
    public JsonObject UnscaledAnalysis() => (JsonObject)YamlToJson.Parse(AnalysisYaml)!;

    /// <summary>The analysis with <c>interval</c> and every metric's <c>interval</c> divided by the scale.</summary>
    public JsonObject Analysis(TimeScale scale)
    {
        var analysis = UnscaledAnalysis();
        Scale(analysis, scale);
        foreach (var metric in (analysis["metrics"] as JsonArray ?? []).OfType<JsonObject>())
        {
            Scale(metric, scale);
        }

        return analysis;
    }

    /// <summary>Analysis interval (scenario time).</summary>
    public TimeSpan Interval => GoDuration.Parse(UnscaledAnalysis()["interval"]!.GetValue<string>());

    /// <summary>
    /// Scenario time a healthy release takes to be promoted: one interval to start, one per weight step up to
    /// maxWeight, one to promote.
    /// </summary>
    public TimeSpan ExpectedDecision
    {
        get
        {
            var analysis = UnscaledAnalysis();
            var step = Integer(analysis["stepWeight"]) ?? 10;
            var max = Integer(analysis["maxWeight"]) ?? 100;
            var steps = (max + step - 1) / step;
            return Interval * (steps + 2);
        }
    }

    private static int? Integer(JsonNode? node) =>
        node is null ? null : int.Parse(node.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture);

    private static void Scale(JsonObject holder, TimeScale scale)
    {
        if (holder["interval"] is JsonValue value && value.TryGetValue<string>(out var text))
        {
            holder["interval"] = scale.ScaleGoDuration(text);
        }
    }
}

/// <summary>The policies the benchmark compares. The judge's analysis here is the one the README recommends.</summary>
public static class DecisionPolicies
{
    /// <summary>Flagger's documented example analysis.</summary>
    public const string FlaggerAnalysisYaml = """
        interval: 1m
        threshold: 5
        stepWeight: 10
        maxWeight: 50
        metrics:
          - name: request-success-rate
            interval: 1m
            thresholdRange: {min: 99}
          - name: request-duration
            interval: 1m
            thresholdRange: {max: 500}
        """;

    /// <summary>
    /// The recommended judge settings. The metrics' <c>interval: 1m</c> is the default, written out so it is scaled
    /// like every other interval; the wide threshold ranges only catch what is broken outright, the judge the rest.
    /// </summary>
    public const string JudgeAnalysisYaml = """
        interval: 30s
        threshold: 2
        stepWeight: 10
        maxWeight: 50
        judge:
          confidence: 0.99
          failFastConfidence: 0.99999
          minSamples: 50
          maxInconclusive: 20
          onInconclusive: Wait
        metrics:
          - name: request-success-rate
            interval: 1m
            judge: {maxRatio: 1.5}
            thresholdRange: {min: 90}
          - name: request-duration
            interval: 1m
            judge: {maxRatio: 1.5, quantile: 0.99}
            thresholdRange: {max: 5000}
        """;

    /// <summary>Flagger's example: a check a minute, rollback after 5 failed checks, 10 % steps to 50 %, success rate ≥ 99 %, p99 ≤ 500 ms.</summary>
    public static DecisionPolicy Flagger { get; } = new("flagger", FlaggerAnalysisYaml);

    /// <summary>The judge: a check every 30 s, canary compared with the primary per metric.</summary>
    public static DecisionPolicy Judge { get; } = new("judge", JudgeAnalysisYaml);

    /// <summary>Both, in the order results are shown.</summary>
    public static IReadOnlyList<DecisionPolicy> All { get; } = [Flagger, Judge];

    /// <summary>The policies a <c>--policy</c> value selects: flagger, judge or both.</summary>
    public static IReadOnlyList<DecisionPolicy> Select(string choice) => choice switch
    {
        "flagger" => [Flagger],
        "judge" => [Judge],
        "both" => All,
        _ => throw new ArgumentException($"--policy must be flagger, judge or both (got '{choice}')", nameof(choice)),
    };
}
