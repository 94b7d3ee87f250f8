using System.Net;
using Canary.Api.V1Beta1;
using Canary.E2E.Infrastructure;
using Xunit.Abstractions;

namespace Canary.E2E.Chaos;

/// <summary>
/// Prometheus and webhook receivers down for some analysis intervals: the release is held (failed checks below the
/// threshold, a closed gate), rolled back (the threshold reached), or promoted once they are back, as the spec says;
/// never promoted while they are down.
/// </summary>
[Collection(ChaosScenarios.Name)]
public sealed class OutageTests(GatewayApiEnvironment env, ITestOutputHelper output)
{
    private const string Provider = GatewayApiEnvironment.Provider;

    [Fact]
    public async Task Prometheus_down_for_fewer_intervals_than_the_threshold_holds_the_step_then_the_release_goes_on()
    {
        await using var s = await CanaryScenario.StartAsync(env, "promblip", Provider, output);
        await using var prometheus = await OutageProxy.StartAsync(env.Prometheus.Url);
        await s.CreateAppAsync();
        await s.CreateCanaryAsync(
            new CanaryAnalysis { Interval = "2s", Threshold = 5, StepWeight = 10, MaxWeight = 50, Metrics = [Podinfo.SuccessRate()] },
            canary => canary.Spec.MetricsServer = prometheus.Url.ToString());
        await s.WaitForPhaseAsync(CanaryPhase.Initialized);
        await s.EditTemplateAsync(image: Podinfo.NewImage);
        await s.WaitUntilAsync(c => c?.Status is { Phase: CanaryPhase.Progressing, CanaryWeight: 20 }, "Progressing at weight 20");

        // Failed checks before the outage (a first window without samples yet) count too: two more while it is down.
        var before = s.Canary()!.Status!.FailedChecks ?? 0;
        prometheus.Down = true;
        await s.WaitUntilAsync(c => c?.Status?.FailedChecks == before + 2, "two failed checks while Prometheus is down");
        prometheus.Down = false;
        await s.WaitForPhaseAsync(CanaryPhase.Succeeded);

        Assert.True(prometheus.Refused > 0);
        var progressing = s.Observer.Statuses.Where(st => st.Phase == CanaryPhase.Progressing).ToList();
        Assert.Equal(20, progressing.First(st => st.FailedChecks == before + 1).Weight);
        Assert.Equal(20, progressing.First(st => st.FailedChecks == before + 2).Weight);
        Assert.Equal([0, 10, 20, 30, 40, 50], s.Observer.StatusWeights(CanaryPhase.Progressing));
        Assert.Equal([0, 10, 20, 30, 40, 50, 0], s.Observer.RouteWeights);
        Assert.Equal(Podinfo.NewImage, (await s.DeploymentAsync("podinfo-primary")).Spec.Template.Spec.Containers[0].Image);
        Assert.Contains(await s.EventsAsync(), e => e.Type == "Warning" && e.Message!.Contains("request-success-rate", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_rollout_hook_receiver_down_for_the_threshold_rolls_the_release_back()
    {
        await using var s = await CanaryScenario.StartAsync(env, "hookdown", Provider, output);
        await s.CreateAppAsync();
        await s.CreateCanaryAsync(new CanaryAnalysis
        {
            Interval = "2s",
            Threshold = 3,
            StepWeight = 10,
            MaxWeight = 50,
            Webhooks = [Podinfo.Hook(env.Webhooks, s.Namespace, WebhookTypes.Rollout, "acceptance")],
        });
        await s.WaitForPhaseAsync(CanaryPhase.Initialized);
        await s.EditTemplateAsync(image: Podinfo.NewImage);
        await s.WaitUntilAsync(c => c?.Status is { Phase: CanaryPhase.Progressing, CanaryWeight: 20 }, "Progressing at weight 20");

        env.Webhooks.Down(s.Namespace, "acceptance");
        var failed = await s.WaitForPhaseAsync(CanaryPhase.Failed);

        Assert.Equal(0, failed.Status!.CanaryWeight ?? 0);
        Assert.DoesNotContain(CanaryPhase.Promoting, s.Observer.Phases);
        Assert.True(s.Observer.StatusWeights().Max() <= 30, s.Observer.Describe());
        Assert.Equal(0, s.Observer.RouteWeights[^1]);
        Assert.Equal(Podinfo.Image, (await s.DeploymentAsync("podinfo-primary")).Spec.Template.Spec.Containers[0].Image);
        Assert.True(env.Webhooks.Calls(s.Namespace, "acceptance").Count(c => c.AnsweredStatus == 0) >= 3);
        var events = await s.EventMessagesAsync();
        Assert.Contains($"Rolling back podinfo.{s.Namespace} failed checks threshold reached 3", events);
    }

    [Fact]
    public async Task A_confirm_promotion_gate_down_holds_the_release_unpromoted_until_it_answers()
    {
        await using var s = await CanaryScenario.StartAsync(env, "gatedown", Provider, output);
        await s.CreateAppAsync();
        await s.CreateCanaryAsync(new CanaryAnalysis
        {
            Interval = "2s",
            // A check may find no data yet right after a step (Prometheus scrapes every second): not what this test is about.
            Threshold = 5,
            StepWeight = 25,
            MaxWeight = 50,
            Metrics = [Podinfo.SuccessRate()],
            Webhooks = [Podinfo.Hook(env.Webhooks, s.Namespace, WebhookTypes.ConfirmPromotion, "release-manager")],
        });
        await s.WaitForPhaseAsync(CanaryPhase.Initialized);
        env.Webhooks.Down(s.Namespace, "release-manager");
        await s.EditTemplateAsync(image: Podinfo.NewImage);

        // Down for at least four intervals past the last step: held at the top weight, not failed, not promoted.
        await s.WaitUntilAsync(() => env.Webhooks.Calls(s.Namespace, "release-manager").Count >= 4, "four unanswered promotion gate calls");
        var held = s.Canary()!.Status!;
        Assert.Equal(50, held.CanaryWeight);
        Assert.DoesNotContain(CanaryPhase.Promoting, s.Observer.Phases);
        Assert.DoesNotContain(CanaryPhase.Failed, s.Observer.Phases);
        Assert.Equal(Podinfo.Image, (await s.DeploymentAsync("podinfo-primary")).Spec.Template.Spec.Containers[0].Image);

        env.Webhooks.Down(s.Namespace, "release-manager", down: false);
        await s.WaitForPhaseAsync(CanaryPhase.Succeeded);
        Assert.Equal(Podinfo.NewImage, (await s.DeploymentAsync("podinfo-primary")).Spec.Template.Spec.Containers[0].Image);
        Assert.Equal([0, 25, 50, 0], s.Observer.RouteWeights);
        Assert.Equal(HttpStatusCode.OK, (HttpStatusCode)env.Webhooks.Calls(s.Namespace, "release-manager")[^1].AnsweredStatus);
    }
}
