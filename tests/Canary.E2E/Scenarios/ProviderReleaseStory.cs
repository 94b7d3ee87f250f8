using Canary.Api.V1Beta1;
using Canary.E2E.Infrastructure;
using Canary.Sandbox.Traffic;
using k8s;

namespace Canary.E2E.Scenarios;

/// <summary>
/// The releases every weight-splitting provider's end-to-end test plays through its own routing object, written once:
/// a good version promoted with every weight step seen on the routing object, a bad one rolled back on the provider's
/// built-in success rate, and for providers with header matches an A/B release in between.
/// </summary>
internal static class ProviderReleaseStory
{
    private const string Insiders = "header:x-canary=insider";
    private const string AbImage = "ghcr.io/stefanprodan/podinfo:6.0.3";

    /// <summary>The analysis of the weighted releases: 20% steps to 60%, a check every 2s, rollback after 2 failures.</summary>
    public static CanaryAnalysis Steps() => new()
    {
        Interval = "2s",
        Threshold = 2,
        StepWeight = 20,
        MaxWeight = 60,
        Metrics = [Podinfo.SuccessRate(min: 95)],
    };

    /// <summary>
    /// Creates the Canary (<paramref name="customize"/> adds what the provider needs, e.g. a ref), promotes a good
    /// version step by step, then rolls back one whose canary fails <paramref name="badErrorRate"/> of its requests.
    /// </summary>
    public static async Task PromoteThenRollBackAsync(CanaryScenario s, string through, double badErrorRate = 0.5, Action<CanaryResource>? customize = null)
    {
        await s.CreateCanaryAsync(Steps(), customize);
        await s.WaitForPhaseAsync(CanaryPhase.Initialized);
        Assert.Equal(0, s.Observer.RouteWeights[^1]);

        await PromoteAsync(s, Podinfo.NewImage);
        Assert.True(s.Traffic().ByWorkload("podinfo") > 0, $"the canary pods never served a request through {through}");

        await RollBackAsync(s, badErrorRate, primaryImage: Podinfo.NewImage);
    }

    /// <summary>
    /// Weights, then an A/B release in which only the insiders (header <c>x-canary: insider</c>, 30% of the clients the
    /// scenario must have created) reach the canary, then a rollback: for providers with header matches.
    /// </summary>
    public static async Task WeightsThenAbThenRollBackAsync(CanaryScenario s, string routingObject)
    {
        await s.CreateCanaryAsync(Steps());
        await s.WaitForPhaseAsync(CanaryPhase.Initialized);
        await PromoteAsync(s, Podinfo.NewImage);

        var canary = s.Canary()!;
        canary.Spec.Analysis = Steps();
        canary.Spec.Analysis.StepWeight = null;
        canary.Spec.Analysis.MaxWeight = null;
        canary.Spec.Analysis.Iterations = 3;
        canary.Spec.Analysis.Match = [new HttpMatchRequest { Headers = new Dictionary<string, StringMatch> { ["x-canary"] = new() { Exact = "insider" } } }];
        await s.Client.CustomObjects.ReplaceNamespacedCustomObjectAsync(canary, CanaryApi.Group, CanaryApi.Version, s.Namespace, CanaryResource.KubePluralName, Podinfo.Name);
        await s.EditTemplateAsync(image: AbImage);
        await s.WaitUntilAsync(() => s.Canary()?.Status?.Phase == CanaryPhase.Progressing && IsAbSplit(s.Routing()), $"A/B routes on the {routingObject}");
        var before = s.Traffic();
        await s.WaitUntilAsync(c => c?.Status?.Iterations >= 2 || c?.Status?.Phase != CanaryPhase.Progressing, "two A/B iterations");
        var during = s.Traffic().Since(before);
        Assert.True(during.Count(k => k.Segment == Insiders && k.Workload == "podinfo") > 0, "no insider reached the canary");
        Assert.Equal(0, during.Count(k => k.Segment == RequestSegment.DefaultName && k.Workload == "podinfo"));
        await s.WaitForPhaseAsync(CanaryPhase.Succeeded);
        Assert.Equal(AbImage, (await s.DeploymentAsync("podinfo-primary")).Spec.Template.Spec.Containers[0].Image);

        await RollBackAsync(s, badErrorRate: 0.5, primaryImage: AbImage);
    }

    /// <summary>The insiders' segment the A/B story needs among the clients.</summary>
    public static RequestSegment InsidersSegment() => RequestSegment.WithHeader("x-canary", "insider", 0.3);

    private static async Task PromoteAsync(CanaryScenario s, string image)
    {
        await s.EditTemplateAsync(image: image);
        await s.WaitForPhaseAsync(CanaryPhase.Succeeded);
        Assert.Equal([0, 20, 40, 60], s.Observer.StatusWeights(CanaryPhase.Progressing));
        Assert.Equal([0, 20, 40, 60, 0], s.Observer.RouteWeights);
        Assert.Equal(image, (await s.DeploymentAsync("podinfo-primary")).Spec.Template.Spec.Containers[0].Image);
    }

    private static async Task RollBackAsync(CanaryScenario s, double badErrorRate, string primaryImage)
    {
        await s.EditTemplateAsync(image: "ghcr.io/stefanprodan/podinfo:6.0.4", annotations: Podinfo.ErrorRate(badErrorRate));
        var failed = await s.WaitForPhaseAsync(CanaryPhase.Failed);
        Assert.Equal(0, failed.Status!.CanaryWeight ?? 0);
        Assert.Equal(0, s.Observer.RouteWeights[^1]);
        Assert.Equal(primaryImage, (await s.DeploymentAsync("podinfo-primary")).Spec.Template.Spec.Containers[0].Image);
        Assert.Contains($"Rolling back podinfo.{s.Namespace} failed checks threshold reached 2", await s.EventMessagesAsync());
    }

    private static bool IsAbSplit(IReadOnlyList<SegmentRoute> routes) =>
        routes.All(r => r.Backends.Where(b => b.Share > 0).Select(b => b.Service).SequenceEqual(
            [r.Segment == Insiders ? "podinfo-canary" : "podinfo-primary"]));
}
