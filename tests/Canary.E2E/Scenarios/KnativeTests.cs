using System.Text.Json.Nodes;
using Canary.Api.V1Beta1;
using Canary.E2E.Infrastructure;
using Xunit.Abstractions;

namespace Canary.E2E.Scenarios;

/// <summary>
/// The knative provider on a controller whose default is Gateway API: the Canary targets a Knative Service, whose
/// spec.traffic the controller splits between the latest revision and the primary one; the sandbox's simulated Knative
/// Serving makes a revision per template change and its ingress routes by the resolved traffic, and the built-in check
/// reads each revision's Envoy cluster from the real Prometheus.
/// </summary>
[Collection(LifecycleScenarios.Name)]
public sealed class KnativeTests(GatewayApiEnvironment env, ITestOutputHelper output)
{
    private const string Provider = "knative";

    [Fact]
    public async Task A_good_revision_steps_through_the_services_traffic_and_is_promoted_and_a_bad_one_is_rolled_back()
    {
        await using var s = await CanaryScenario.StartAsync(env, "knative", Provider, output);
        await s.CreateKnativeAppAsync();
        await s.CreateCanaryAsync(ProviderReleaseStory.Steps(), canary =>
        {
            canary.Spec.TargetRef = new TargetReference { ApiVersion = "serving.knative.dev/v1", Kind = TargetKinds.Service, Name = Podinfo.Name };
        });
        await s.WaitForPhaseAsync(CanaryPhase.Initialized);
        Assert.Equal("podinfo-00001", PrimaryRevision(s));
        Assert.Equal(0, s.Observer.RouteWeights[^1]);

        // Revision 00002 is healthy: every step is written to spec.traffic, then it becomes the primary revision.
        await s.EditKnativeTemplateAsync(Podinfo.NewImage);
        await s.WaitForPhaseAsync(CanaryPhase.Succeeded);
        Assert.Equal([0, 20, 40, 60], s.Observer.StatusWeights(CanaryPhase.Progressing));
        Assert.Equal([0, 20, 40, 60, 0], s.Observer.RouteWeights);
        Assert.Equal("podinfo-00002", PrimaryRevision(s));
        Assert.True(s.Traffic().ByWorkload("podinfo-00002-deployment") > 0, "revision 00002 never served a request");
        var promoted = s.Traffic();

        // Revision 00003 is released while the clients ask podinfo for /delay/1 (Flagger's knative script): the built-in
        // latency check on its Envoy cluster rolls it back.
        s.SetClientPath(ProviderReleaseStory.Slow);
        await s.EditKnativeTemplateAsync("ghcr.io/stefanprodan/podinfo:6.0.4");
        var failed = await s.WaitForPhaseAsync(CanaryPhase.Failed);
        s.SetClientPath("/");
        Assert.Contains(failed.Status!.Checks ?? [], c => c is { Metric: BuiltInMetrics.RequestDuration, Verdict: CheckVerdicts.Fail, CanaryValue: >= 900 });
        Assert.Equal(0, failed.Status!.CanaryWeight ?? 0);
        Assert.Equal(0, s.Observer.RouteWeights[^1]);
        Assert.Equal("podinfo-00002", PrimaryRevision(s));
        Assert.True(s.Traffic().Since(promoted).ByWorkload("podinfo-00003-deployment") > 0, "revision 00003 never served a request");
        var events = await s.EventMessagesAsync();
        Assert.Contains($"Rolling back podinfo.{s.Namespace} failed checks threshold reached 2", events);
        Assert.Contains($"Promotion completed! The latest revision of podinfo.{s.Namespace} is the primary", events);
        Assert.Contains($"Canary failed! Traffic back on the primary revision of podinfo.{s.Namespace}", events);
        Assert.Equal("False", Assert.Single(failed.Status.Conditions!, c => c.Type == "Promoted").Status);

        // Deleted: the Service is Knative's own again, all traffic on its latest revision.
        await s.DeleteCanaryAsync();
        await s.WaitUntilAsync(c => c is null, "the Canary gone");
        var service = s.KnativeService();
        Assert.Null(service["metadata"]?["annotations"]?["canary.dev/primary-revision"]);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""[{"latestRevision":true,"percent":100}]"""), service["spec"]!["traffic"]), service["spec"]!["traffic"]?.ToJsonString());
    }

    private static string? PrimaryRevision(CanaryScenario s) => (string?)s.KnativeService()["metadata"]?["annotations"]?["canary.dev/primary-revision"];
}
