using Canary.Api.V1Beta1;
using Canary.E2E.Infrastructure;
using Canary.Rollout.Targets;
using Xunit.Abstractions;

namespace Canary.E2E.Scenarios;

/// <summary>
/// A DaemonSet target on Gateway API: blue/green whatever the provider could weigh (iterations checked against a load
/// tester on podinfo-canary, then all traffic at once), the target's pods parked by a nodeSelector key between rollouts.
/// </summary>
[Collection(LifecycleScenarios.Name)]
public sealed class DaemonSetTargetTests(GatewayApiEnvironment env, ITestOutputHelper output)
{
    private const string Provider = GatewayApiEnvironment.Provider;

    [Fact]
    public async Task DaemonSet_good_version_is_promoted_blue_green_and_a_bad_one_rolled_back_with_its_pods_parked()
    {
        await using var s = await CanaryScenario.StartAsync(env, "daemonset", Provider, output);
        await s.CreateMetricTemplateAsync(Podinfo.PodErrorRate(env.Prometheus.Url));
        await s.CreateDaemonSetAppAsync();
        await s.CreateCanaryAsync(
            new CanaryAnalysis { Interval = "2s", Threshold = 2, Iterations = 3, Metrics = [Podinfo.PodErrorRateCheck(max: 1)] },
            c => c.Spec.TargetRef!.Kind = TargetKinds.DaemonSet);

        // Initialized: the primary DaemonSet serves, the target's pods are kept off every node.
        await s.WaitForPhaseAsync(CanaryPhase.Initialized);
        Assert.Equal("true", (await s.DaemonSetAsync("podinfo")).Spec.Template.Spec.NodeSelector[DaemonSetScaleToZero.Key]);
        Assert.Equal(Podinfo.Image, (await s.DaemonSetAsync("podinfo-primary")).Spec.Template.Spec.Containers[0].Image);
        await s.WaitUntilAsync(() => s.TargetPodCountAsync().Result == 0, "the target's pods are gone");

        // A good version: unparked, three iterations on load-tester traffic, then all traffic at once, then promoted.
        await s.EditDaemonSetTemplateAsync(image: Podinfo.NewImage);
        await s.WaitForPhaseAsync(CanaryPhase.Succeeded);
        Assert.Equal([0, 1, 2, 3, 4], s.Observer.Statuses.Where(st => st.Phase == CanaryPhase.Progressing).Select(st => st.Iterations).Distinct());
        Assert.DoesNotContain(s.Observer.Statuses, st => st.Weight is > 0 and < 100);
        Assert.Equal([0, 100, 0], s.Observer.RouteWeights);
        Assert.Equal(Podinfo.NewImage, (await s.DaemonSetAsync("podinfo-primary")).Spec.Template.Spec.Containers[0].Image);
        Assert.True(s.Env.Traffic.Statistics(s.Namespace, "podinfo-canary").Count(k => k.StatusCode < 500) > 0, "the load tester never reached the canary pods");
        Assert.Equal("true", (await s.DaemonSetAsync("podinfo")).Spec.Template.Spec.NodeSelector[DaemonSetScaleToZero.Key]);
        await s.WaitUntilAsync(() => s.TargetPodCountAsync().Result == 0, "the target's pods are parked again after promotion");
        var target = $"podinfo.{s.Namespace}";
        var events = await s.EventMessagesAsync();
        Assert.Contains($"New revision detected! Scaling up {target}", events);
        Assert.Contains("Routing all traffic to canary", events);
        Assert.Contains($"Promotion completed! Scaling down {target}", events);

        // A bad version: half of its answers are 500s; rolled back after two failed checks, parked, primary untouched.
        await s.EditDaemonSetTemplateAsync(image: "ghcr.io/stefanprodan/podinfo:6.0.2", annotations: Podinfo.ErrorRate(0.5));
        var failed = await s.WaitForPhaseAsync(CanaryPhase.Failed);
        Assert.Equal(0, failed.Status!.CanaryWeight ?? 0);
        Assert.Contains(s.Observer.Statuses, st => st.Phase == CanaryPhase.Progressing && st.FailedChecks == 2);
        Assert.Equal(0, s.Observer.RouteWeights[^1]);
        Assert.Equal(Podinfo.NewImage, (await s.DaemonSetAsync("podinfo-primary")).Spec.Template.Spec.Containers[0].Image);
        Assert.Equal("true", (await s.DaemonSetAsync("podinfo")).Spec.Template.Spec.NodeSelector[DaemonSetScaleToZero.Key]);
        await s.WaitUntilAsync(() => s.TargetPodCountAsync().Result == 0, "the target's pods are parked after the rollback");
        Assert.Contains($"Rolling back {target} failed checks threshold reached 2", await s.EventMessagesAsync());
    }
}
