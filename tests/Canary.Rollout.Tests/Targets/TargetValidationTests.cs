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

/// <summary>A Knative Service target: the knative provider only, and nothing that would shape Services Knative makes itself.</summary>
public sealed class KnativeTargetValidationTests
{
    private static ApiValidationResult Validate(Action<CanarySpec>? change = null)
    {
        var canary = new CanaryResource
        {
            Metadata = new() { Name = "podinfo", NamespaceProperty = "test" },
            Spec = new CanarySpec
            {
                Provider = TrafficProviders.Knative,
                TargetRef = new TargetReference { ApiVersion = "serving.knative.dev/v1", Kind = TargetKinds.Service, Name = "podinfo" },
                Service = new CanaryService { Port = 80 },
                Analysis = new CanaryAnalysis { Interval = "30s", StepWeight = 10, MaxWeight = 50 },
            },
        };
        change?.Invoke(canary.Spec);
        return CanaryValidation.Validate(canary, ControllerSupport.For("knative"));
    }

    [Fact]
    public void A_knative_service_with_the_knative_provider_is_valid()
    {
        var result = Validate();

        Assert.True(result.IsValid, result.Summary);
    }

    [Fact]
    public void Fields_that_shape_generated_services_are_refused_at_their_paths()
    {
        var result = Validate(spec =>
        {
            spec.Service!.TargetPort = "http";
            spec.Service.PortDiscovery = true;
            spec.Service.Primary = new CustomMetadata { Labels = new Dictionary<string, string> { ["team"] = "web" } };
            spec.Service.Hosts = ["podinfo.example.com"];
        });

        Assert.Equal(
            ["spec.service.hosts", "spec.service.portDiscovery", "spec.service.primary", "spec.service.targetPort"],
            result.Errors.Select(e => e.Path).Order(StringComparer.Ordinal));
        Assert.Equal(
            "is not used with a Knative Service target: Knative creates the Services of each revision",
            result.Errors.First(e => e.Path == "spec.service.targetPort").Message);
    }

    [Fact]
    public void The_knative_provider_needs_a_knative_target_and_a_knative_target_the_knative_provider()
    {
        var deployment = Validate(spec => spec.TargetRef = new TargetReference { ApiVersion = "apps/v1", Kind = TargetKinds.Deployment, Name = "podinfo" });
        Assert.Equal("knative requires targetRef to be a Knative Service (kind Service, apiVersion serving.knative.dev/v1)", Assert.Single(deployment.Errors, e => e.Path == "spec.provider").Message);

        var istio = Validate(spec => spec.Provider = "istio");
        Assert.Contains(istio.Errors, e => e.Path == "spec.provider" && e.Message.StartsWith("must be knative for a Knative Service target", StringComparison.Ordinal));
    }
}
