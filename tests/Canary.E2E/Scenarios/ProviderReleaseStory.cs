using Canary.Api.V1Beta1;
using Canary.E2E.Infrastructure;
using Canary.Sandbox.ApiServer.Resources;
using Canary.Sandbox.Traffic;
using k8s;

namespace Canary.E2E.Scenarios;

/// <summary>
/// The releases every weight-splitting provider's end-to-end test plays through its own routing object, written once
/// after Flagger's per-provider e2e scripts (test/&lt;provider&gt;/test-canary.sh): the generated objects carry Flux's
/// markers; a good version released with <c>kubectl set image</c> is promoted with every weight step seen on the routing
/// object; a bad release is made by pointing the clients at podinfo's <c>/status/500</c> (or <c>/delay/1</c>, where
/// Flagger does) and rolled back on the provider's built-in checks; for providers with header matches an A/B release
/// in between.
/// </summary>
internal static class ProviderReleaseStory
{
    private const string Insiders = "header:x-canary=insider";
    private const string AbImage = "ghcr.io/stefanprodan/podinfo:6.0.3";

    /// <summary>podinfo's route that answers 500 (Flagger's failing load test).</summary>
    public const string Errors = "/status/500";

    /// <summary>podinfo's route that answers after a second (Flagger's slow load test for contour and knative).</summary>
    public const string Slow = "/delay/1";

    /// <summary>
    /// The analysis of the weighted releases: 20% steps to 60%, a check every 2s of the success rate and of the p99
    /// latency (at most 500ms, as Flagger's e2e), rollback after 2 failures.
    /// </summary>
    public static CanaryAnalysis Steps() => new()
    {
        Interval = "2s",
        Threshold = 2,
        StepWeight = 20,
        MaxWeight = 60,
        Metrics = [Podinfo.SuccessRate(min: 95), new CanaryMetric { Name = BuiltInMetrics.RequestDuration, Interval = "10s", ThresholdRange = new CanaryThresholdRange { Max = 500 } }],
    };

    /// <summary>
    /// Creates the Canary (<paramref name="customize"/> adds what the provider needs, e.g. a ref), promotes a good
    /// version step by step, then rolls back a release while the clients ask for <paramref name="failingPath"/>.
    /// </summary>
    public static async Task PromoteThenRollBackAsync(CanaryScenario s, string through, string failingPath = Errors, Action<CanaryResource>? customize = null)
    {
        await s.CreateCanaryAsync(Steps(), customize);
        await s.WaitForPhaseAsync(CanaryPhase.Initialized);
        Assert.Equal(0, s.Observer.RouteWeights[^1]);
        AssertMarkedForFlux(s);

        await PromoteAsync(s, Podinfo.NewImage);
        Assert.True(s.Traffic().ByWorkload("podinfo") > 0, $"the canary pods never served a request through {through}");

        await RollBackAsync(s, failingPath, primaryImage: Podinfo.NewImage);
    }

    /// <summary>
    /// Weights, then an A/B release in which only the insiders (header <c>x-canary: insider</c>, 30% of the clients the
    /// scenario must have created) reach the canary, then a rollback: for providers with header matches.
    /// </summary>
    public static async Task WeightsThenAbThenRollBackAsync(CanaryScenario s, string routingObject, string failingPath = Errors, Action<CanaryResource>? customize = null)
    {
        await s.CreateCanaryAsync(Steps(), customize);
        await s.WaitForPhaseAsync(CanaryPhase.Initialized);
        AssertMarkedForFlux(s);
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

        await RollBackAsync(s, failingPath, primaryImage: AbImage);
    }

    /// <summary>The insiders' segment the A/B story needs among the clients.</summary>
    public static RequestSegment InsidersSegment() => RequestSegment.WithHeader("x-canary", "insider", 0.3);

    /// <summary>The routing object, the Services and the primary carry Flux's markers (Flagger's e2e checks the apex Service).</summary>
    public static void AssertMarkedForFlux(CanaryScenario s)
    {
        var probe = RouteProbe.For(s.Provider, Podinfo.Name, ns: s.Namespace);
        var marked = new[]
        {
            (probe.Resource.Resource, s.Env.TryGet(probe.Resource, probe.ClusterScoped ? null : s.Namespace, probe.ObjectName)),
            ("services", s.Env.TryGet(BuiltInResources.Services, s.Namespace, Podinfo.Name)),
            ("services", s.Env.TryGet(BuiltInResources.Services, s.Namespace, "podinfo-canary")),
            ("deployments", s.Env.TryGet(BuiltInResources.Deployments, s.Namespace, "podinfo-primary")),
        };
        foreach (var (kind, obj) in marked)
        {
            Assert.True(obj is not null, $"no {kind} object");
            Assert.Equal("disabled", (string?)obj["metadata"]?["annotations"]?["kustomize.toolkit.fluxcd.io/reconcile"]);
            Assert.Equal("disabled", (string?)obj["metadata"]?["annotations"]?["helm.toolkit.fluxcd.io/driftDetection"]);
        }
    }

    /// <summary>A release as Flagger's scripts make one: <c>kubectl set image</c> with the real kubectl.</summary>
    public static async Task SetImageAsync(CanaryScenario s, string image)
    {
        var run = await Tools.KubectlAsync(s.Env.Kubeconfig, ["-n", s.Namespace, "set", "image", $"deployment/{Podinfo.Name}", $"podinfod={image}"]);
        Assert.True(run.ExitCode == 0, run.ToString());
    }

    private static async Task PromoteAsync(CanaryScenario s, string image)
    {
        await SetImageAsync(s, image);
        await s.WaitForPhaseAsync(CanaryPhase.Succeeded);
        Assert.Equal([0, 20, 40, 60], s.Observer.StatusWeights(CanaryPhase.Progressing));
        Assert.Equal([0, 20, 40, 60, 0], s.Observer.RouteWeights);
        Assert.Equal(image, (await s.DeploymentAsync("podinfo-primary")).Spec.Template.Spec.Containers[0].Image);
    }

    private static async Task RollBackAsync(CanaryScenario s, string failingPath, string primaryImage)
    {
        s.SetClientPath(failingPath);
        await SetImageAsync(s, "ghcr.io/stefanprodan/podinfo:6.0.4");
        var failed = await s.WaitForPhaseAsync(CanaryPhase.Failed);
        s.SetClientPath("/");
        Assert.Equal(0, failed.Status!.CanaryWeight ?? 0);
        Assert.Equal(0, s.Observer.RouteWeights[^1]);
        Assert.Equal(primaryImage, (await s.DeploymentAsync("podinfo-primary")).Spec.Template.Spec.Containers[0].Image);
        Assert.Contains($"Rolling back podinfo.{s.Namespace} failed checks threshold reached 2", await s.EventMessagesAsync());
        var checks = failed.Status!.Checks ?? [];
        if (failingPath == Slow)
        {
            Assert.Contains(checks, c => c is { Metric: BuiltInMetrics.RequestDuration, Verdict: CheckVerdicts.Fail, CanaryValue: >= 900 });
        }
        else
        {
            // Every new answer is a 500, but the window may still hold the canary's answers of the previous release, so
            // the value is only known to be under the minimum (absent where the data plane has no count queries: apisix).
            Assert.Contains(checks, c => c is { Metric: BuiltInMetrics.RequestSuccessRate, Verdict: CheckVerdicts.Fail });
        }
    }

    // The rest go to the primary: podinfo-primary, or the apex Service (selecting the primary pods) where the user's
    // own routing object points at it, as NGINX's main Ingress does.
    private static bool IsAbSplit(IReadOnlyList<SegmentRoute> routes) =>
        routes.All(r => r.Backends.Where(b => b.Share > 0).Select(b => b.Service).ToList() is [var only]
            && (r.Segment == Insiders ? only == "podinfo-canary" : only is "podinfo-primary" or Podinfo.Name));
}
