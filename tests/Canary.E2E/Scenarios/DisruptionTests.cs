using System.Globalization;
using Canary.Api.V1Beta1;
using Canary.E2E.Infrastructure;
using Canary.Sandbox.ApiServer.Faults;
using Canary.Sandbox.Prometheus;
using Xunit.Abstractions;

namespace Canary.E2E.Scenarios;

/// <summary>The rollout under failures around it: the controller killed mid-analysis, Prometheus gone mid-analysis.</summary>
[Collection(DisruptionScenarios.Name)]
public sealed class DisruptionTests(GatewayApiEnvironment env, ITestOutputHelper output)
{
    private const string Provider = GatewayApiEnvironment.Provider;

    [Fact]
    public async Task Controller_killed_while_Progressing_and_restarted_finishes_with_the_same_weights_none_repeated()
    {
        await using var s = await CanaryScenario.StartAsync(env, "restart", Provider, output);
        await s.CreateAppAsync();
        await s.CreateCanaryAsync(new CanaryAnalysis
        {
            Interval = "2s",
            Threshold = 5,
            StepWeight = 10,
            MaxWeight = 50,
            Metrics = [Podinfo.SuccessRate()],
        });
        await s.WaitForPhaseAsync(CanaryPhase.Initialized);
        await s.EditTemplateAsync(image: Podinfo.NewImage);

        // Kill it at the worst moment: the step to 30 is routed but its status checkpoint cannot be written.
        await s.WaitUntilAsync(c => c?.Status is { Phase: CanaryPhase.Progressing, CanaryWeight: 20 }, "Progressing at weight 20");
        var statusWrites = new ErrorRule(1, new HashSet<string> { "update", "patch" }, new HashSet<string> { "canaries/status" }, [500]);
        env.Cluster.Server.Faults.AddErrorRule(statusWrites);
        try
        {
            await s.WaitUntilAsync(() => s.Observer.RouteWeights[^1] == 30, "HTTPRoute at 30 while the checkpoint fails");
            await env.KillControllerAsync();
        }
        finally
        {
            env.Cluster.Server.Faults.Clear();
        }

        Assert.Equal(20, s.Canary()!.Status!.CanaryWeight);

        await env.StartControllerAsync();
        await s.WaitForPhaseAsync(CanaryPhase.Succeeded);

        Assert.Equal([0, 10, 20, 30, 40, 50], s.Observer.StatusWeights(CanaryPhase.Progressing));
        Assert.Equal([0, 10, 20, 30, 40, 50, 0], s.Observer.RouteWeights);
        Assert.Equal(Podinfo.NewImage, (await s.DeploymentAsync("podinfo-primary")).Spec.Template.Spec.Containers[0].Image);
        Assert.Equal(0, (await s.DeploymentAsync("podinfo")).Spec.Replicas);

        // One analysis, resumed: the revision was detected once, the steps advanced in order (the interrupted one may be
        // announced again when its actions are repeated).
        var events = await s.EventMessagesAsync();
        Assert.Single(events, m => m == $"New revision detected! Scaling up podinfo.{s.Namespace}");
        Assert.DoesNotContain(events, m => m.StartsWith("New revision detected! Restarting analysis", StringComparison.Ordinal));
        var advanced = events.Where(m => m.StartsWith($"Advance podinfo.{s.Namespace} canary weight ", StringComparison.Ordinal))
            .Select(m => int.Parse(m.Split(' ')[^1], CultureInfo.InvariantCulture)).Distinct().ToList();
        Assert.Equal([10, 20, 30, 40, 50], advanced);
    }

    [Fact]
    public async Task Prometheus_stopped_mid_analysis_fails_the_checks_and_nothing_is_promoted()
    {
        await using var s = await CanaryScenario.StartAsync(env, "noprom", Provider, output);

        // This Canary's own Prometheus (spec.metricsServer), so stopping it leaves the collection's one to the other tests.
        var prometheus = await PrometheusRunner.StartAsync(env.MetricsEndpoint.Url);
        await using var _ = prometheus;
        await s.CreateAppAsync();
        await s.CreateCanaryAsync(
            new CanaryAnalysis
            {
                Interval = "2s",
                Threshold = 3,
                StepWeight = 10,
                MaxWeight = 50,
                Metrics = [Podinfo.SuccessRate()],
            },
            canary => canary.Spec.MetricsServer = prometheus.Url.ToString());
        await s.WaitForPhaseAsync(CanaryPhase.Initialized);
        await s.EditTemplateAsync(image: Podinfo.NewImage);

        await s.WaitUntilAsync(c => c?.Status is { Phase: CanaryPhase.Progressing, CanaryWeight: >= 20 }, "analysis passing at weight 20");
        await prometheus.DisposeAsync();
        var weightWhenStopped = s.Canary()!.Status!.CanaryWeight ?? 0;

        var failed = await s.WaitForPhaseAsync(CanaryPhase.Failed);
        Assert.Equal(0, failed.Status!.CanaryWeight ?? 0);
        Assert.Contains(s.Observer.Statuses, st => st.FailedChecks == 3);
        Assert.DoesNotContain(CanaryPhase.Promoting, s.Observer.Phases);

        // At most the step of a tick already past its query when Prometheus went away.
        Assert.True(s.Observer.StatusWeights().Max() <= weightWhenStopped + 10, s.Observer.Describe());
        Assert.Equal(Podinfo.Image, (await s.DeploymentAsync("podinfo-primary")).Spec.Template.Spec.Containers[0].Image);
        Assert.Equal(0, s.Observer.RouteWeights[^1]);
        Assert.Equal(0, (await s.DeploymentAsync("podinfo")).Spec.Replicas);

        var events = await s.EventsAsync();
        Assert.Contains(events, e => e.Type == "Warning" && e.Message!.Contains("request-success-rate", StringComparison.Ordinal));
        Assert.Contains(events, e => e.Message == $"Rolling back podinfo.{s.Namespace} failed checks threshold reached 3");
    }
}
