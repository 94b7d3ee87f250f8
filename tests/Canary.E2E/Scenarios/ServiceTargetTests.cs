using Canary.Api.V1Beta1;
using Canary.E2E.Infrastructure;
using Xunit.Abstractions;

namespace Canary.E2E.Scenarios;

/// <summary>
/// A core Service target on Gateway API (Flagger's service target mode): the Service is the canary, its copies
/// podinfo-primary and podinfo-canary are what the HTTPRoute weighs; a release is a new selector; nothing is scaled.
/// </summary>
[Collection(LifecycleScenarios.Name)]
public sealed class ServiceTargetTests(GatewayApiEnvironment env, ITestOutputHelper output)
{
    private static readonly Canary.Sandbox.ApiServer.Resources.GroupVersionResource Deployments = new("apps", "v1", "deployments");

    private const string Provider = GatewayApiEnvironment.Provider;

    [Fact]
    public async Task Service_selecting_a_good_version_is_promoted_by_weights_and_a_bad_one_rolled_back()
    {
        await using var s = await CanaryScenario.StartAsync(env, "service", Provider, output);
        await s.CreateServiceAppAsync(new Dictionary<string, IDictionary<string, string>?>
        {
            ["blue"] = null,
            ["green"] = null,
            ["red"] = Podinfo.ErrorRate(0.5),
        });
        await s.CreateCanaryAsync(
            new CanaryAnalysis { Interval = "2s", Threshold = 2, StepWeight = 20, MaxWeight = 40, Metrics = [Podinfo.SuccessRate()] },
            c => c.Spec.TargetRef = new TargetReference { ApiVersion = "v1", Kind = TargetKinds.Service, Name = Podinfo.Name });

        // Initialized: both copies select what the Service selects; no Deployment was scaled.
        await s.WaitForPhaseAsync(CanaryPhase.Initialized);
        Assert.Equal("podinfo-blue", await s.SelectedAsync("podinfo-primary"));
        Assert.Equal("podinfo-blue", await s.SelectedAsync("podinfo-canary"));

        // A good release: the Service now selects green; the canary copy follows, the HTTPRoute steps 20, 40, promotion.
        // Errors are counted once every version's pod is ready: before, a Service selecting a pod not yet ready answers
        // 503 from the proxy (on a busy machine that can outlast the initialization).
        await s.WaitUntilAsync(
            () => new[] { "blue", "green", "red" }.All(v => (long?)s.Env.TryGet(Deployments, s.Namespace, $"podinfo-{v}")?["status"]?["availableReplicas"] == 1),
            "every version's pod ready");
        var beforeRelease = s.Traffic();
        await s.SelectVersionAsync("green");
        await s.WaitForPhaseAsync(CanaryPhase.Succeeded);
        Assert.Equal([0, 20, 40], s.Observer.StatusWeights(CanaryPhase.Progressing));
        Assert.Equal([0, 20, 40, 0], s.Observer.RouteWeights);
        Assert.Equal("podinfo-green", await s.SelectedAsync("podinfo-primary"));
        Assert.True(s.Traffic().ByWorkload("podinfo-green") > 0, "green never served a request");
        Assert.Equal(0, s.Traffic().Since(beforeRelease).Count(k => k.StatusCode >= 500));
        foreach (var version in new[] { "blue", "green", "red" })
        {
            Assert.Equal(1, (await s.DeploymentAsync($"podinfo-{version}")).Spec.Replicas);
        }

        // A bad release: red answers 500 to half of its requests; rolled back, the primary copy still selects green.
        await s.SelectVersionAsync("red");
        var failed = await s.WaitForPhaseAsync(CanaryPhase.Failed);
        Assert.Equal(0, failed.Status!.CanaryWeight ?? 0);
        Assert.Contains(s.Observer.Statuses, st => st.Phase == CanaryPhase.Progressing && st.FailedChecks == 2);
        Assert.Equal(0, s.Observer.RouteWeights[^1]);
        Assert.Equal("podinfo-green", await s.SelectedAsync("podinfo-primary"));
        Assert.Contains($"Rolling back podinfo.{s.Namespace} failed checks threshold reached 2", await s.EventMessagesAsync());
    }
}
