using Canary.Api.Defaults;
using Canary.Api.V1Beta1;
using Canary.Rollout.StateMachine;

namespace Canary.Rollout.Tests.Targets;

/// <summary>How the target kind shapes the rollout plan (a DaemonSet takes no weights, as in Flagger).</summary>
public sealed class TargetPlanTests
{
    private static EffectiveCanary Spec(CanaryAnalysis analysis) => CanaryDefaults.Resolve(new CanarySpec
    {
        TargetRef = new TargetReference { ApiVersion = "apps/v1", Kind = TargetKinds.DaemonSet, Name = "agent" },
        Service = new CanaryService { Port = 80 },
        Analysis = analysis,
    });

    [Fact]
    public void A_daemonset_canary_runs_blue_green_with_a_weighted_provider()
    {
        var plan = RolloutPlan.For(Spec(new CanaryAnalysis { Interval = "10s", Threshold = 2 }), "gatewayapi", TargetKinds.DaemonSet);

        Assert.Equal(DeploymentStrategy.BlueGreen, plan.Strategy);
        Assert.Equal(RolloutPlan.KubernetesDefaultIterations, plan.Iterations);
        Assert.Empty(plan.StepWeights);
        Assert.True(plan.RoutesTraffic);
    }

    [Fact]
    public void A_daemonset_keeps_its_iterations_and_a_deployment_keeps_its_weights()
    {
        Assert.Equal(3, RolloutPlan.For(Spec(new CanaryAnalysis { Interval = "10s", Iterations = 3 }), "gatewayapi", TargetKinds.DaemonSet).Iterations);
        var deployment = RolloutPlan.For(Spec(new CanaryAnalysis { Interval = "10s", StepWeight = 10, MaxWeight = 30 }), "gatewayapi", TargetKinds.Deployment);
        Assert.Equal((DeploymentStrategy.Canary, 30), (deployment.Strategy, deployment.MaxWeight));
    }
}
