using Canary.Api.Defaults;
using Canary.Api.Serialization;
using Canary.Api.V1Beta1;

namespace Canary.Api.Tests;

public class DefaultsTests
{
    [Fact]
    public void Omitted_fields_resolve_to_documented_defaults()
    {
        var spec = new CanarySpec
        {
            TargetRef = new TargetReference { Kind = TargetKinds.Deployment, Name = "podinfo" },
            Service = new CanaryService { Port = 9898 },
            Analysis = new CanaryAnalysis { StepWeight = 10 },
        };

        var effective = CanaryDefaults.Resolve(spec);

        Assert.Equal("podinfo", effective.TargetName);
        Assert.Equal(new EffectiveService("podinfo", 9898, "http", "9898"), effective.Service);
        Assert.Equal("podinfo-primary", effective.Service.PrimaryName);
        Assert.Equal("podinfo-canary", effective.Service.CanaryName);
        Assert.Equal(TimeSpan.FromMinutes(1), effective.Analysis.Interval);
        Assert.Equal(1, effective.Analysis.Threshold);
        Assert.Equal(100, effective.Analysis.MaxWeight);
        Assert.Equal(100, effective.Analysis.PrimaryReadyThreshold);
        Assert.Equal(100, effective.Analysis.CanaryReadyThreshold);
        Assert.Equal(TimeSpan.FromSeconds(600), effective.ProgressDeadline);
        Assert.True(effective.RevertOnDeletion);
        Assert.False(effective.Suspend);
        Assert.False(effective.SkipAnalysis);
    }

    [Fact]
    public void Resolving_does_not_modify_the_spec()
    {
        const string json = """{"targetRef":{"kind":"Deployment","name":"app"},"service":{"port":80},"analysis":{"stepWeight":5}}""";
        var spec = CanaryJson.Deserialize<CanarySpec>(json);

        _ = CanaryDefaults.Resolve(spec);

        Assert.Equal(json, CanaryJson.Serialize(spec));
    }

    [Fact]
    public void Explicit_values_win_over_defaults()
    {
        var spec = new CanarySpec
        {
            TargetRef = new TargetReference { Name = "app" },
            Service = new CanaryService { Name = "web", Port = 80, PortName = "grpc", TargetPort = "grpc-port" },
            Analysis = new CanaryAnalysis { Interval = "15s", Threshold = 3, CanaryReadyThreshold = 50 },
            ProgressDeadlineSeconds = 120,
            RevertOnDeletion = false,
            Suspend = true,
        };

        var effective = CanaryDefaults.Resolve(spec);

        Assert.Equal(new EffectiveService("web", 80, "grpc", "grpc-port"), effective.Service);
        Assert.Equal(TimeSpan.FromSeconds(15), effective.Analysis.Interval);
        Assert.Equal(3, effective.Analysis.Threshold);
        Assert.Equal(50, effective.Analysis.CanaryReadyThreshold);
        Assert.Equal(TimeSpan.FromMinutes(2), effective.ProgressDeadline);
        Assert.False(effective.RevertOnDeletion);
        Assert.True(effective.Suspend);
    }

    [Theory]
    [InlineData(null, 1)]
    [InlineData(0, 1)]
    [InlineData(-3, 1)]
    [InlineData(4, 4)]
    public void Threshold_below_one_means_one(int? threshold, int expected) =>
        Assert.Equal(expected, new CanaryAnalysis { Threshold = threshold }.EffectiveThreshold());

    [Theory]
    [InlineData(null)]
    [InlineData("garbage")]
    [InlineData("0s")]
    public void Missing_or_unusable_interval_means_one_minute(string? interval) =>
        Assert.Equal(CanaryDefaults.AnalysisInterval, new CanaryAnalysis { Interval = interval }.EffectiveInterval());

    [Fact]
    public void Short_intervals_are_honoured_not_clamped() =>
        Assert.Equal(TimeSpan.FromSeconds(2), new CanaryAnalysis { Interval = "2s" }.EffectiveInterval());

    [Fact]
    public void Deprecated_canary_analysis_is_used_only_without_analysis()
    {
        var legacy = new CanaryAnalysis { Iterations = 3 };
        var current = new CanaryAnalysis { StepWeight = 10 };

        Assert.Same(legacy, new CanarySpec { CanaryAnalysis = legacy }.EffectiveAnalysis());
        Assert.Same(current, new CanarySpec { Analysis = current, CanaryAnalysis = legacy }.EffectiveAnalysis());
    }

    [Fact]
    public void No_analysis_means_skip_analysis()
    {
        var effective = CanaryDefaults.Resolve(new CanarySpec { TargetRef = new TargetReference { Name = "a" } });

        Assert.True(effective.SkipAnalysis);
        Assert.Same(EffectiveAnalysis.None, effective.Analysis);
    }

    [Theory]
    [InlineData(null, false, DeploymentStrategy.Canary, "canary")]
    [InlineData(0, true, DeploymentStrategy.Canary, "canary")]
    [InlineData(5, false, DeploymentStrategy.BlueGreen, "blue-green")]
    [InlineData(5, true, DeploymentStrategy.ABTesting, "ab-testing")]
    public void Strategy_is_derived_from_iterations_and_match(int? iterations, bool match, DeploymentStrategy expected, string flaggerName)
    {
        var analysis = new CanaryAnalysis
        {
            Iterations = iterations,
            Match = match ? [new HttpMatchRequest { Headers = new Dictionary<string, StringMatch> { ["x-canary"] = new() { Exact = "1" } } }] : null,
        };

        Assert.Equal(expected, analysis.EffectiveStrategy());
        Assert.Equal(flaggerName, analysis.EffectiveStrategy().ToFlaggerName());
    }

    [Theory]
    [InlineData(20, null, null, new[] { 20, 40, 60, 80, 100 }, 100)]
    [InlineData(20, 50, null, new[] { 20, 40, 50 }, 50)]
    [InlineData(null, 30, new[] { 1, 5, 20, 80 }, new[] { 1, 5, 20, 80 }, 80)]
    [InlineData(null, null, new[] { 10, 120 }, new[] { 10, 100 }, 100)]
    [InlineData(null, null, null, new int[0], 100)]
    public void Step_weights_and_max_weight(int? stepWeight, int? maxWeight, int[]? stepWeights, int[] expectedSteps, int expectedMax)
    {
        var analysis = new CanaryAnalysis { StepWeight = stepWeight, MaxWeight = maxWeight, StepWeights = stepWeights };

        Assert.Equal(expectedSteps, analysis.EffectiveStepWeights());
        Assert.Equal(expectedMax, analysis.EffectiveMaxWeight());
    }

    [Fact]
    public void Webhook_metric_affinity_and_alert_defaults()
    {
        Assert.Equal(WebhookTypes.Rollout, new CanaryWebhook { Type = "" }.EffectiveType());
        Assert.Equal(WebhookTypes.PreRollout, new CanaryWebhook { Type = "pre-rollout" }.EffectiveType());
        Assert.Equal(TimeSpan.FromSeconds(10), new CanaryWebhook().EffectiveTimeout());
        Assert.Equal(TimeSpan.FromSeconds(3), new CanaryWebhook { Timeout = "3s" }.EffectiveTimeout());
        Assert.Equal(TimeSpan.FromMinutes(1), new CanaryMetric().EffectiveInterval());
        Assert.Equal(86400, new SessionAffinity().EffectiveMaxAge());
        Assert.Equal("general", new AlertProviderSpec().EffectiveChannel());
        Assert.Equal("canary", new AlertProviderSpec().EffectiveUsername());
        Assert.Equal("ops", new AlertProviderSpec { Channel = "ops" }.EffectiveChannel());
    }
}
