using Canary.Api.V1Beta1;
using Canary.E2E.Infrastructure;
using Xunit.Abstractions;

namespace Canary.E2E.Scenarios;

/// <summary>
/// The kuma provider (a cluster-scoped Kuma TrafficRoute) on a controller whose default is Gateway API: the Canary names its provider,
/// simulated Kuma proxies split by the TrafficRoute, and the built-in checks read their Envoy metrics
/// from the real Prometheus.
/// </summary>
[Collection(RolloutScenarios.Name)]
public sealed class KumaTests(GatewayApiEnvironment env, ITestOutputHelper output)
{
    private const string Provider = "kuma";

    [Fact]
    public async Task A_good_version_steps_through_the_TrafficRoute_and_is_promoted_a_bad_one_is_rolled_back_and_deletion_removes_the_route()
    {
        await using var s = await CanaryScenario.StartAsync(env, "kuma", Provider, output);
        await s.CreateAppAsync();
        await s.CreateCanaryAsync(new CanaryAnalysis
        {
            Interval = "2s",
            Threshold = 2,
            StepWeight = 20,
            MaxWeight = 60,
            Metrics = [Podinfo.SuccessRate(min: 95)],
        });
        await s.WaitForPhaseAsync(CanaryPhase.Initialized);
        Assert.Equal(0, s.Observer.RouteWeights[^1]);

        // Good: every step on the TrafficRoute, then all traffic back on the (updated) primary.
        await s.EditTemplateAsync(image: Podinfo.NewImage);
        await s.WaitForPhaseAsync(CanaryPhase.Succeeded);
        Assert.Equal([0, 20, 40, 60], s.Observer.StatusWeights(CanaryPhase.Progressing));
        Assert.Equal([0, 20, 40, 60, 0], s.Observer.RouteWeights);
        Assert.Equal(Podinfo.NewImage, (await s.DeploymentAsync("podinfo-primary")).Spec.Template.Spec.Containers[0].Image);
        Assert.True(s.Traffic().ByWorkload("podinfo") > 0, "the canary pods never served a request through the TrafficRoute");

        // Bad: half of the canary's answers fail; the proxies' Envoy metrics say so and the release is rolled back.
        await s.EditTemplateAsync(image: "ghcr.io/stefanprodan/podinfo:6.0.2", annotations: Podinfo.ErrorRate(0.5));
        var failed = await s.WaitForPhaseAsync(CanaryPhase.Failed);
        Assert.Equal(0, failed.Status!.CanaryWeight ?? 0);
        Assert.Equal(0, s.Observer.RouteWeights[^1]);
        Assert.Equal(Podinfo.NewImage, (await s.DeploymentAsync("podinfo-primary")).Spec.Template.Spec.Containers[0].Image);
        Assert.Contains($"Rolling back podinfo.{s.Namespace} failed checks threshold reached 2", await s.EventMessagesAsync());

        // Deleted: nothing can garbage-collect the cluster-scoped route, so the controller removes it when it reverts.
        await s.DeleteCanaryAsync();
        await s.WaitUntilAsync(c => c is null, "the Canary gone");
        Assert.DoesNotContain(s.Env.Store.List(Crds.TrafficRoutes, null).Items, r => (string?)r["metadata"]?["name"] == $"podinfo.{s.Namespace}");
    }
}
