using Canary.Api.V1Beta1;
using Canary.E2E.Infrastructure;
using Canary.Sandbox.Traffic;

namespace Canary.E2E.Scenarios;

/// <summary>
/// The release each metric store's end-to-end test plays, written once: the app's totals pushed to the store, an
/// error-rate MetricTemplate on it (at most 5 %) deciding a good version (promoted through every weight) and a bad one
/// (half its answers 500: rolled back).
/// </summary>
internal static class MetricStoreReleaseStory
{
    public static async Task PromoteThenRollBackAsync(CanaryScenario s, MetricTemplate errorRate, TotalsPusher pusher)
    {
        await s.CreateAppAsync();
        await s.CreateMetricTemplateAsync(errorRate);
        var analysis = ProviderReleaseStory.Steps();
        analysis.Metrics = [new CanaryMetric { Name = "error-rate", Interval = "10s", TemplateRef = new() { Name = errorRate.Metadata.Name }, ThresholdRange = new() { Max = 5 } }];
        await s.CreateCanaryAsync(analysis);
        await s.WaitForPhaseAsync(CanaryPhase.Initialized);

        await s.EditTemplateAsync(image: Podinfo.NewImage);
        await s.WaitForPhaseAsync(CanaryPhase.Succeeded);
        Assert.Equal([0, 20, 40, 60], s.Observer.StatusWeights(CanaryPhase.Progressing));
        Assert.Equal(Podinfo.NewImage, (await s.DeploymentAsync("podinfo-primary")).Spec.Template.Spec.Containers[0].Image);

        await s.EditTemplateAsync(image: "ghcr.io/stefanprodan/podinfo:6.0.4", annotations: Podinfo.ErrorRate(0.5));
        var failed = await s.WaitForPhaseAsync(CanaryPhase.Failed);
        Assert.Equal(Podinfo.NewImage, (await s.DeploymentAsync("podinfo-primary")).Spec.Template.Spec.Containers[0].Image);
        Assert.Contains($"Rolling back podinfo.{s.Namespace} failed checks threshold reached 2", await s.EventMessagesAsync());
        Assert.Contains(failed.Status!.Conditions!, c => c.Type == "Promoted" && c.Status == "False");
        Assert.Null(pusher.LastError);
    }
}
