using Canary.Api.Validation;
using Canary.Api.V1Beta1;
using Canary.Rollout.Engine;

namespace Canary.Rollout.Tests.Targets;

/// <summary>What a target kind cannot do is refused by field path, from the target registry.</summary>
public sealed class TargetValidationTests
{
    private static ApiValidationResult Validate(string kind, CanaryAnalysis analysis, Action<CanarySpec>? change = null)
    {
        var canary = new CanaryResource
        {
            Metadata = new() { Name = "podinfo", NamespaceProperty = "test" },
            Spec = new CanarySpec
            {
                Provider = "istio",
                TargetRef = new TargetReference { ApiVersion = kind == TargetKinds.Service ? "v1" : "apps/v1", Kind = kind, Name = "podinfo" },
                Service = new CanaryService { Port = 9898 },
                Analysis = analysis,
            },
        };
        change?.Invoke(canary.Spec);
        return CanaryValidation.Validate(canary, ControllerSupport.For("istio"));
    }

    [Fact]
    public void A_daemonset_refuses_every_weight_setting_at_its_own_path()
    {
        var result = Validate(TargetKinds.DaemonSet, new CanaryAnalysis { Interval = "30s", StepWeight = 10, MaxWeight = 50, StepWeights = [10, 20], StepWeightPromotion = 20 });

        // (stepWeight with stepWeights is also refused on its own, by the API's rules.)
        Assert.Equal(
            ["spec.analysis.maxWeight", "spec.analysis.stepWeight", "spec.analysis.stepWeightPromotion", "spec.analysis.stepWeights"],
            result.Errors.Where(e => e.Message.StartsWith("a DaemonSet target is rolled out blue/green", StringComparison.Ordinal)).Select(e => e.Path).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_daemonset_with_iterations_or_no_strategy_is_valid_and_a_deployment_keeps_its_weights()
    {
        Assert.True(Validate(TargetKinds.DaemonSet, new CanaryAnalysis { Interval = "30s", Iterations = 5 }).IsValid);
        Assert.True(Validate(TargetKinds.DaemonSet, new CanaryAnalysis { Interval = "30s" }).IsValid);
        Assert.True(Validate(TargetKinds.Deployment, new CanaryAnalysis { Interval = "30s", StepWeight = 10, MaxWeight = 50 }).IsValid);
    }

    [Fact]
    public void A_service_target_needs_its_own_name_as_apex_no_autoscaler_and_a_provider_that_splits_traffic()
    {
        var analysis = new CanaryAnalysis { Interval = "30s", StepWeight = 10, MaxWeight = 50 };
        Assert.True(Validate(TargetKinds.Service, analysis).IsValid);

        var result = Validate(TargetKinds.Service, analysis, spec =>
        {
            spec.Service!.Name = "frontend";
            spec.AutoscalerRef = new AutoscalerReference { ApiVersion = "autoscaling/v2", Kind = "HorizontalPodAutoscaler", Name = "podinfo" };
        });
        Assert.Equal(["spec.autoscalerRef", "spec.service.name"], result.Errors.Select(e => e.Path).Order(StringComparer.Ordinal));

        var kubernetes = Validate(TargetKinds.Service, new CanaryAnalysis { Interval = "30s", Iterations = 3 }, spec => spec.Provider = "kubernetes");
        Assert.StartsWith("kubernetes cannot route between the -primary and -canary copies", Assert.Single(kubernetes.Errors, e => e.Path == "spec.provider").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_autoscaler_is_refused_for_a_daemonset()
    {
        var result = Validate(TargetKinds.DaemonSet, new CanaryAnalysis { Interval = "30s", Iterations = 3 }, spec =>
            spec.AutoscalerRef = new AutoscalerReference { ApiVersion = "autoscaling/v2", Kind = "HorizontalPodAutoscaler", Name = "podinfo" });

        Assert.Equal("spec.autoscalerRef: does not apply to a DaemonSet target (it has no replica count to scale)", result.Summary);
    }
}
