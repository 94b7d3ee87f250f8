using Canary.Api.V1Beta1;
using Canary.E2E.Infrastructure;
using Canary.LoadTester.Hosting;
using Canary.Sandbox.Traffic;
using Microsoft.AspNetCore.Builder;
using Xunit.Abstractions;

namespace Canary.E2E.Scenarios;

/// <summary>
/// Blue/green with the kubernetes provider, as Flagger's tutorial runs it: nothing but the load tester sends traffic to
/// the canary, through a rollout webhook with a hey command line. Here the tester is canary-loadtester (hey generated
/// natively) and its requests are real HTTP to the sandbox's Services (the Service proxy), answered by the simulated pods
/// and counted in the metrics the analysis reads.
/// </summary>
[Collection(ControlScenarios.Name)]
public sealed class LoadTesterTests(ControlsEnvironment env, ITestOutputHelper output)
{
    private static CanaryAnalysis Analysis(Uri tester, string ns) => new()
    {
        Interval = "2s",
        Iterations = 4,
        Threshold = 3,
        Metrics = [Podinfo.SuccessRate()],
        Webhooks =
        [
            new CanaryWebhook
            {
                Name = "load-test",
                Type = WebhookTypes.Rollout,
                Url = tester.ToString(),
                Timeout = "5s",
                Metadata = new Dictionary<string, string> { ["cmd"] = $"hey -z 1m -q 20 -c 2 http://podinfo-canary.{ns}:{Podinfo.Port}/" },
            },
        ],
    };

    [Fact]
    public async Task A_blue_green_release_driven_by_the_load_tester_promotes_a_good_version_and_rolls_back_a_bad_one()
    {
        await using var s = await CanaryScenario.StartAsync(env, "loadtester", "kubernetes", output);
        await using var proxy = await ServiceProxy.StartAsync(env.Traffic);
        await using var tester = LoadTesterHost.Build(new LoadTesterOptions { Port = 0, LoopbackOnly = true, Proxy = proxy.Url, JsonLogs = false });
        await tester.StartAsync();
        var testerUrl = new Uri(tester.Urls.Single());
        await s.CreateAppAsync(trafficProvider: "kubernetes");
        await s.CreateCanaryAsync(Analysis(testerUrl, s.Namespace));
        await s.WaitForPhaseAsync(CanaryPhase.Initialized);

        // Good version: the tester's requests are the only traffic the canary gets, and they pass the success rate.
        await s.EditTemplateAsync(image: Podinfo.NewImage);
        await s.WaitForPhaseAsync(CanaryPhase.Succeeded, TimeSpan.FromMinutes(2));
        Assert.Equal(Podinfo.NewImage, (await s.DeploymentAsync("podinfo-primary")).Spec.Template.Spec.Containers[0].Image);
        var checks = s.Canary()!.Status!.Checks ?? [];
        Assert.Contains(checks, c => c.Metric == BuiltInMetrics.RequestSuccessRate && c.Verdict == CheckVerdicts.Pass && c.CanaryValue >= 99);
        Assert.True(s.Observer.Statuses.Where(x => x.Phase == CanaryPhase.Progressing).Max(x => x.Iterations) >= 4, s.Observer.Describe());

        // Bad version: half the tester's requests fail on the new pods; the release is rolled back.
        await s.EditTemplateAsync(image: "ghcr.io/stefanprodan/podinfo:6.0.2", annotations: Podinfo.ErrorRate(0.5));
        await s.WaitForPhaseAsync(CanaryPhase.Failed, TimeSpan.FromMinutes(2));
        Assert.Equal(Podinfo.NewImage, (await s.DeploymentAsync("podinfo-primary")).Spec.Template.Spec.Containers[0].Image);
        var failed = (s.Canary()!.Status!.Checks ?? []).Where(c => c.Verdict == CheckVerdicts.Fail && c.CanaryValue is < 90).ToList();
        Assert.NotEmpty(failed);
        Assert.Contains($"Rolling back podinfo.{s.Namespace} failed checks threshold reached 3", await s.EventMessagesAsync());
    }
}
