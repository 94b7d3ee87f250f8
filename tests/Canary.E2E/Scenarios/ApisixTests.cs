using Canary.Api.V1Beta1;
using Canary.E2E.Infrastructure;
using Canary.Sandbox.Demo;
using k8s;
using Xunit.Abstractions;

namespace Canary.E2E.Scenarios;

/// <summary>
/// The apisix provider on a controller whose default is Gateway API: the user's ApisixRoute, the canary ApisixRoute the
/// controller writes beside it, the simulated APISIX ingress preferring it by priority and splitting by its backend
/// weights. APISIX's metrics are per route (the mix of both versions), so the rollback is checked on the success rate
/// of that mix, as Flagger's built-in query reads it.
/// </summary>
[Collection(RolloutScenarios.Name)]
public sealed class ApisixTests(GatewayApiEnvironment env, ITestOutputHelper output)
{
    private const string Provider = "apisix";

    [Fact]
    public async Task A_good_version_steps_through_the_canary_ApisixRoute_and_is_promoted_and_a_bad_one_is_rolled_back()
    {
        await using var s = await CanaryScenario.StartAsync(env, "apisix", Provider, output);
        var route = DemoManifests.ApisixRoute(Podinfo.Name);
        route["metadata"]!["namespace"] = s.Namespace;
        await s.Client.CustomObjects.CreateNamespacedCustomObjectAsync(route, "apisix.apache.org", "v2", s.Namespace, "apisixroutes");
        await s.CreateAppAsync();
        await s.CreateCanaryAsync(
            new CanaryAnalysis
            {
                Interval = "2s",
                Threshold = 2,
                StepWeight = 20,
                MaxWeight = 60,
                Metrics = [Podinfo.SuccessRate(min: 95)],
            },
            c => c.Spec.RouteRef = new LocalObjectReference { ApiVersion = "apisix.apache.org/v2", Kind = "ApisixRoute", Name = Podinfo.Name });
        await s.WaitForPhaseAsync(CanaryPhase.Initialized);
        Assert.Equal(0, s.Observer.RouteWeights[^1]);

        // Good: every step in the canary route's backend weights, then all traffic back on the (updated) primary.
        await s.EditTemplateAsync(image: Podinfo.NewImage);
        await s.WaitForPhaseAsync(CanaryPhase.Succeeded);
        Assert.Equal([0, 20, 40, 60], s.Observer.StatusWeights(CanaryPhase.Progressing));
        Assert.Equal([0, 20, 40, 60, 0], s.Observer.RouteWeights);
        Assert.Equal(Podinfo.NewImage, (await s.DeploymentAsync("podinfo-primary")).Spec.Template.Spec.Containers[0].Image);
        Assert.True(s.Traffic().ByWorkload("podinfo") > 0, "the canary pods never served a request through APISIX");

        // Bad: every canary answer fails; even mixed with the primary's, the route's success rate falls under 95%.
        await s.EditTemplateAsync(image: "ghcr.io/stefanprodan/podinfo:6.0.2", annotations: Podinfo.ErrorRate(1));
        var failed = await s.WaitForPhaseAsync(CanaryPhase.Failed);
        Assert.Equal(0, failed.Status!.CanaryWeight ?? 0);
        Assert.Equal(0, s.Observer.RouteWeights[^1]);
        Assert.Equal(Podinfo.NewImage, (await s.DeploymentAsync("podinfo-primary")).Spec.Template.Spec.Containers[0].Image);
        Assert.Contains($"Rolling back podinfo.{s.Namespace} failed checks threshold reached 2", await s.EventMessagesAsync());
    }
}
