using Canary.Api.V1Beta1;
using Canary.E2E.Infrastructure;
using Canary.Sandbox.Traffic;
using Xunit.Abstractions;
using k8s;

namespace Canary.E2E.Scenarios;

/// <summary>
/// The gloo provider (a RouteTable over two generated Upstreams) on a controller whose default is Gateway API: the Canary names its provider, the
/// simulated Gloo Envoy routes by the RouteTable, and the built-in checks read its Envoy cluster metrics per upstream.
/// </summary>
[Collection(LifecycleScenarios.Name)]
public sealed class GlooTests(GatewayApiEnvironment env, ITestOutputHelper output)
{
    private const string Provider = "gloo";
    private const string Insiders = "header:x-canary=insider";

    [Fact]
    public async Task Weights_then_an_AB_release_then_a_rollback_on_the_RouteTable()
    {
        await using var s = await CanaryScenario.StartAsync(env, "gloo", Provider, output);
        await s.CreateAppAsync(segments: [RequestSegment.WithHeader("x-canary", "insider", 0.3)]);
        await s.CreateCanaryAsync(new CanaryAnalysis
        {
            Interval = "2s",
            Threshold = 2,
            StepWeight = 20,
            MaxWeight = 60,
            Metrics = [Podinfo.SuccessRate(min: 95)],
        });
        await s.WaitForPhaseAsync(CanaryPhase.Initialized);

        // v2: every weight on the RouteTable, promoted.
        await s.EditTemplateAsync(image: Podinfo.NewImage);
        await s.WaitForPhaseAsync(CanaryPhase.Succeeded);
        Assert.Equal([0, 20, 40, 60], s.Observer.StatusWeights(CanaryPhase.Progressing));
        Assert.Equal([0, 20, 40, 60, 0], s.Observer.RouteWeights);

        // v3 as an A/B release: only the insiders reach the canary during the iterations.
        var canary = s.Canary()!;
        canary.Spec.Analysis = new CanaryAnalysis
        {
            Interval = "2s",
            Threshold = 2,
            Iterations = 3,
            Match = [new HttpMatchRequest { Headers = new Dictionary<string, StringMatch> { ["x-canary"] = new() { Exact = "insider" } } }],
            Metrics = [Podinfo.SuccessRate(min: 95)],
        };
        await s.Client.CustomObjects.ReplaceNamespacedCustomObjectAsync(canary, CanaryApi.Group, CanaryApi.Version, s.Namespace, CanaryResource.KubePluralName, Podinfo.Name);
        await s.EditTemplateAsync(image: "ghcr.io/stefanprodan/podinfo:6.0.3");
        await s.WaitUntilAsync(() => s.Canary()?.Status?.Phase == CanaryPhase.Progressing && IsAbSplit(s.Routing()), "A/B routes on the RouteTable");
        var before = s.Traffic();
        await s.WaitUntilAsync(c => c?.Status?.Iterations >= 2 || c?.Status?.Phase != CanaryPhase.Progressing, "two A/B iterations");
        var during = s.Traffic().Since(before);
        Assert.True(during.Count(k => k.Segment == Insiders && k.Workload == "podinfo") > 0, "no insider reached the canary");
        Assert.Equal(0, during.Count(k => k.Segment == RequestSegment.DefaultName && k.Workload == "podinfo"));

        await s.WaitForPhaseAsync(CanaryPhase.Succeeded);
        Assert.Equal("ghcr.io/stefanprodan/podinfo:6.0.3", (await s.DeploymentAsync("podinfo-primary")).Spec.Template.Spec.Containers[0].Image);

        // v4: half of its answers fail; Envoy's cluster metrics say so and it is rolled back.
        await s.EditTemplateAsync(image: "ghcr.io/stefanprodan/podinfo:6.0.4", annotations: Podinfo.ErrorRate(0.5));
        Assert.Equal(0, (await s.WaitForPhaseAsync(CanaryPhase.Failed)).Status!.CanaryWeight ?? 0);
        Assert.Equal("ghcr.io/stefanprodan/podinfo:6.0.3", (await s.DeploymentAsync("podinfo-primary")).Spec.Template.Spec.Containers[0].Image);
    }

    private static bool IsAbSplit(IReadOnlyList<SegmentRoute> routes) =>
        routes.All(r => r.Backends.Where(b => b.Share > 0).Select(b => b.Service).SequenceEqual(
            [r.Segment == Insiders ? "podinfo-canary" : "podinfo-primary"]));
}
