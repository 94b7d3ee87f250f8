using System.Text.Json.Nodes;
using Canary.Api.Serialization;
using Canary.Api.Validation;
using Canary.Sandbox.Scenarios;

namespace Canary.Sandbox.Tests.Scenarios;

public sealed class DecisionPolicyTests
{
    private static readonly Scenario Good = new() { Name = "good", Expect = Verdict.Promote };

    [Fact]
    public void Flagger_is_the_documented_example_scaled()
    {
        var analysis = DecisionPolicies.Flagger.Analysis(new TimeScale(10));

        Assert.Equal("6000ms", analysis["interval"]!.GetValue<string>());
        Assert.Equal(5, Int(analysis["threshold"]));
        Assert.Equal(10, Int(analysis["stepWeight"]));
        Assert.Equal(50, Int(analysis["maxWeight"]));
        Assert.Null(analysis["judge"]);
        var metrics = analysis["metrics"]!.AsArray();
        Assert.Equal(["request-success-rate", "request-duration"], metrics.Select(m => m!["name"]!.GetValue<string>()));
        Assert.All(metrics, m => Assert.Equal("6000ms", m!["interval"]!.GetValue<string>()));
        Assert.Equal(99, Int(metrics[0]!["thresholdRange"]!["min"]));
        Assert.Equal(500, Int(metrics[1]!["thresholdRange"]!["max"]));
        Assert.All(metrics, m => Assert.Null(m!["judge"]));
    }

    [Fact]
    public void Judge_is_the_recommended_setting_scaled()
    {
        var analysis = DecisionPolicies.Judge.Analysis(new TimeScale(10));

        Assert.Equal("3000ms", analysis["interval"]!.GetValue<string>());
        Assert.Equal(2, Int(analysis["threshold"]));
        Assert.Equal(10, Int(analysis["stepWeight"]));
        Assert.Equal(50, Int(analysis["maxWeight"]));
        var judge = analysis["judge"]!;
        Assert.Equal(0.99, Num(judge["confidence"]));
        Assert.Equal(0.99999, Num(judge["failFastConfidence"]));
        Assert.Equal(50, Int(judge["minSamples"]));
        Assert.Equal(20, Int(judge["maxInconclusive"]));
        Assert.Equal("Wait", judge["onInconclusive"]!.GetValue<string>());
        var metrics = analysis["metrics"]!.AsArray();
        Assert.All(metrics, m => Assert.Equal("6000ms", m!["interval"]!.GetValue<string>()));
        Assert.Equal(90, Int(metrics[0]!["thresholdRange"]!["min"]));
        Assert.Equal(1.5, Num(metrics[0]!["judge"]!["maxRatio"]));
        Assert.Equal(5000, Int(metrics[1]!["thresholdRange"]!["max"]));
        Assert.Equal(1.5, Num(metrics[1]!["judge"]!["maxRatio"]));
        Assert.Equal(0.99, Num(metrics[1]!["judge"]!["quantile"]));
    }

    [Fact]
    public void Unscaled_policies_keep_their_intervals()
    {
        Assert.Equal("60000ms", DecisionPolicies.Flagger.Analysis(new TimeScale(1))["interval"]!.GetValue<string>());
        Assert.Equal(TimeSpan.FromMinutes(1), DecisionPolicies.Flagger.Interval);
        Assert.Equal(TimeSpan.FromMinutes(7), DecisionPolicies.Flagger.ExpectedDecision);
        Assert.Equal(TimeSpan.FromSeconds(30), DecisionPolicies.Judge.Interval);
        Assert.Equal(TimeSpan.FromMinutes(3.5), DecisionPolicies.Judge.ExpectedDecision);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(31)]
    [InlineData(double.NaN)]
    public void Time_scale_keeps_the_judge_interval_at_least_one_second(double factor) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new TimeScale(factor));

    [Fact]
    public void Time_scale_converts_both_ways_and_rates()
    {
        var scale = new TimeScale(10);
        Assert.Equal(TimeSpan.FromSeconds(6), scale.ToWall(TimeSpan.FromMinutes(1)));
        Assert.Equal(TimeSpan.FromMinutes(1), scale.ToScenario(TimeSpan.FromSeconds(6)));
        Assert.Equal(3.33, scale.Rate(0.333), 6);
        Assert.Equal("1000ms", new TimeScale(30).ScaleGoDuration("30s"));
    }

    [Theory]
    [InlineData("flagger")]
    [InlineData("judge")]
    public void Canary_of_a_run_is_valid_and_carries_the_policy(string policy)
    {
        var run = new ReleaseRun(Good with { Provider = "istio" }, DecisionPolicies.Select(policy)[0], 3);
        var json = ScenarioManifests.Canary(run, new TimeScale(10));

        Assert.Equal($"s-good-{policy}-3", json["metadata"]!["namespace"]!.GetValue<string>());
        var canary = CanaryJson.Deserialize<Api.V1Beta1.Canary>(json.ToJsonString());
        Assert.Equal("istio", canary.Spec!.Provider);
        Assert.Equal(policy == "judge", canary.Spec.Analysis!.Judge is not null);
        var result = new CanaryValidator().Validate(canary);
        Assert.True(result.IsValid, string.Join("; ", result.Errors));
    }

    [Fact]
    public void Benchmark_readme_quotes_both_policies_verbatim()
    {
        var readme = File.ReadAllText(Path.Combine(ShippedScenarios.Folder, "README.md")).ReplaceLineEndings("\n");
        Assert.Contains($"```yaml\n{DecisionPolicies.FlaggerAnalysisYaml.ReplaceLineEndings("\n")}\n```", readme, StringComparison.Ordinal);
        Assert.Contains($"```yaml\n{DecisionPolicies.JudgeAnalysisYaml.ReplaceLineEndings("\n")}\n```", readme, StringComparison.Ordinal);
    }

    [Fact]
    public void Policy_choice_selects_one_or_both()
    {
        Assert.Equal(["flagger", "judge"], DecisionPolicies.Select("both").Select(p => p.Name));
        Assert.Equal(["judge"], DecisionPolicies.Select("judge").Select(p => p.Name));
        Assert.Throws<ArgumentException>(() => DecisionPolicies.Select("other"));
    }

    [Fact]
    public void Deployment_carries_the_exact_behaviour_and_one_replica()
    {
        var behavior = new VersionBehavior(0.0005, TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(100));
        var deployment = ScenarioManifests.Deployment("s-x-flagger-1", "v1", behavior);

        Assert.Equal(1, Int(deployment["spec"]!["replicas"]));
        var annotations = deployment["spec"]!["template"]!["metadata"]!["annotations"]!;
        Assert.Equal("0.0005", annotations["sandbox.canary.dev/error-rate"]!.GetValue<string>());
        Assert.Equal("20ms", annotations["sandbox.canary.dev/latency-p50"]!.GetValue<string>());
        Assert.Equal("100ms", annotations["sandbox.canary.dev/latency-p99"]!.GetValue<string>());
    }

    private static int Int(JsonNode? node) => int.Parse(node!.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture);

    private static double Num(JsonNode? node) => double.Parse(node!.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture);
}
