using Canary.Api.V1Beta1;
using Canary.E2E.Infrastructure;
using Xunit.Abstractions;

namespace Canary.E2E.Scenarios;

/// <summary>
/// The traefik provider (TraefikService) on a controller whose default is Gateway API: the Canary names its provider,
/// simulated Traefik weighs the Services by the TraefikService, and the built-in checks read Traefik's service metrics
/// from the real Prometheus.
/// </summary>
[Collection(RolloutScenarios.Name)]
public sealed class TraefikTests(GatewayApiEnvironment env, ITestOutputHelper output)
{
    private const string Provider = "traefik";

    [Fact]
    public async Task A_good_version_steps_through_the_TraefikService_and_is_promoted_and_a_bad_one_is_rolled_back()
    {
        await using var s = await CanaryScenario.StartAsync(env, "traefik", Provider, output);
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

        // Good: every step on the TraefikService, then all traffic back on the (updated) primary.
        await s.EditTemplateAsync(image: Podinfo.NewImage);
        await s.WaitForPhaseAsync(CanaryPhase.Succeeded);
        Assert.Equal([0, 20, 40, 60], s.Observer.StatusWeights(CanaryPhase.Progressing));
        Assert.Equal([0, 20, 40, 60, 0], s.Observer.RouteWeights);
        Assert.Equal(Podinfo.NewImage, (await s.DeploymentAsync("podinfo-primary")).Spec.Template.Spec.Containers[0].Image);
        Assert.True(s.Traffic().ByWorkload("podinfo") > 0, "the canary pods never served a request through Traefik");

        // Bad: half of the canary's answers fail; Traefik's service metrics say so and the release is rolled back.
        await s.EditTemplateAsync(image: "ghcr.io/stefanprodan/podinfo:6.0.2", annotations: Podinfo.ErrorRate(0.5));
        var failed = await s.WaitForPhaseAsync(CanaryPhase.Failed);
        Assert.Equal(0, failed.Status!.CanaryWeight ?? 0);
        Assert.Equal(0, s.Observer.RouteWeights[^1]);
        Assert.Equal(Podinfo.NewImage, (await s.DeploymentAsync("podinfo-primary")).Spec.Template.Spec.Containers[0].Image);
        Assert.Contains($"Rolling back podinfo.{s.Namespace} failed checks threshold reached 2", await s.EventMessagesAsync());
    }
}
