using System.Net;
using Canary.Api.V1Beta1;
using Canary.E2E.Infrastructure;
using Canary.Sandbox.Traffic;
using Xunit.Abstractions;

namespace Canary.E2E.Scenarios;

/// <summary>Progressive traffic shifting on Gateway API: promotion of a good version, rollback of a bad one, A/B testing.</summary>
[Collection(RolloutScenarios.Name)]
public sealed class CanaryRolloutTests(GatewayApiEnvironment env, ITestOutputHelper output)
{
    private const string Provider = GatewayApiEnvironment.Provider;

    [Fact]
    public async Task Good_version_steps_0_to_50_by_10_then_promotes_and_the_httproute_follows_each_step()
    {
        await using var s = await CanaryScenario.StartAsync(env, "promote", Provider, output);
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
        Assert.Equal(0, (await s.DeploymentAsync("podinfo")).Spec.Replicas);
        Assert.Equal(Podinfo.Image, (await s.DeploymentAsync("podinfo-primary")).Spec.Template.Spec.Containers[0].Image);

        await s.EditTemplateAsync(image: Podinfo.NewImage);
        await s.WaitForPhaseAsync(CanaryPhase.Succeeded);

        Assert.Equal([0, 10, 20, 30, 40, 50], s.Observer.StatusWeights(CanaryPhase.Progressing));
        Assert.Equal([0, 10, 20, 30, 40, 50, 0], s.Observer.RouteWeights);
        Assert.Equal(Podinfo.NewImage, (await s.DeploymentAsync("podinfo-primary")).Spec.Template.Spec.Containers[0].Image);
        Assert.Equal(0, (await s.DeploymentAsync("podinfo")).Spec.Replicas);

        var events = await s.EventMessagesAsync();
        var target = $"podinfo.{s.Namespace}";
        Assert.Contains($"New revision detected! Scaling up {target}", events);
        Assert.Contains($"Starting canary analysis for {target}", events);
        foreach (var weight in new[] { 10, 20, 30, 40, 50 })
        {
            Assert.Contains($"Advance {target} canary weight {weight}", events);
        }

        Assert.Contains($"Copying {target} template spec to podinfo-primary.{s.Namespace}", events);
        Assert.Contains($"Promotion completed! Scaling down {target}", events);

        // The simulated clients really reached the canary pods while the route split, and nothing failed.
        var traffic = s.Traffic();
        Assert.True(traffic.ByWorkload("podinfo") > 0, "the canary pods never served a request");
        Assert.Equal(0, traffic.Count(k => k.StatusCode >= 500));
    }

    [Fact]
    public async Task Bad_version_is_rolled_back_after_threshold_failed_checks_with_status_event_and_webhooks()
    {
        await using var s = await CanaryScenario.StartAsync(env, "rollback", Provider, output);
        var hooks = env.Webhooks;
        hooks.Answer(s.Namespace, "rollback", HttpStatusCode.NotFound, "no manual rollback");
        await s.CreateAppAsync();
        await s.CreateCanaryAsync(new CanaryAnalysis
        {
            Interval = "2s",
            Threshold = 2,
            StepWeight = 10,
            MaxWeight = 50,
            Metrics = [Podinfo.SuccessRate(min: 99)],
            Webhooks =
            [
                Podinfo.Hook(hooks, s.Namespace, WebhookTypes.Rollback),
                Podinfo.Hook(hooks, s.Namespace, WebhookTypes.PostRollout),
                Podinfo.Hook(hooks, s.Namespace, WebhookTypes.Event),
            ],
        });
        await s.WaitForPhaseAsync(CanaryPhase.Initialized);

        // Half of the new version's answers are 500s: success rate ~50 % < 99 %.
        await s.EditTemplateAsync(image: Podinfo.NewImage, annotations: Podinfo.ErrorRate(0.5));
        var failed = await s.WaitForPhaseAsync(CanaryPhase.Failed);

        var target = $"podinfo.{s.Namespace}";
        Assert.Equal(0, failed.Status!.CanaryWeight ?? 0);
        Assert.Contains(s.Observer.Statuses, st => st.Phase == CanaryPhase.Progressing && st.FailedChecks == 2);
        Assert.DoesNotContain(s.Observer.Statuses, st => st.FailedChecks > 2);
        Assert.DoesNotContain(CanaryPhase.Promoting, s.Observer.Phases);
        Assert.Equal(0, s.Observer.RouteWeights[^1]);
        Assert.Equal(0, (await s.DeploymentAsync("podinfo")).Spec.Replicas);
        Assert.Equal(Podinfo.Image, (await s.DeploymentAsync("podinfo-primary")).Spec.Template.Spec.Containers[0].Image);
        Assert.Contains(failed.Status.Conditions ?? [], c => c.Type == "Promoted" && c.Status == "False");

        var events = await s.EventsAsync();
        Assert.Contains(events, e => e.Type == "Warning" && e.Message == $"Rolling back {target} failed checks threshold reached 2");
        Assert.Contains(events, e => e.Type == "Warning" && e.Message == $"Canary failed! Scaling down {target}");

        // The rollback hook was asked at each analysis step (and, answering 404, did not force anything).
        Assert.Contains(hooks.Calls(s.Namespace, "rollback"), c => c.Payload.Phase == "Progressing" && c.Payload.Name == "podinfo");
        await s.WaitUntilAsync(() => hooks.Calls(s.Namespace, "post-rollout").Any(c => c.Payload.Phase == "Failed"), "post-rollout hook called with phase Failed");
        await s.WaitUntilAsync(
            () => hooks.Calls(s.Namespace, "event").Any(c => c.EventMessage == $"Rolling back {target} failed checks threshold reached 2"),
            "event hook told about the rollback");
    }

    [Fact]
    public async Task AB_testing_routes_only_header_matched_requests_to_the_canary_for_the_iterations_then_promotes()
    {
        await using var s = await CanaryScenario.StartAsync(env, "ab", Provider, output);
        const string insiders = "header:x-canary=insider";
        await s.CreateAppAsync(segments: [RequestSegment.WithHeader("x-canary", "insider", 0.3)]);
        await s.CreateMetricTemplateAsync(ErrorRateTemplate(env.Prometheus.Url));
        await s.CreateCanaryAsync(new CanaryAnalysis
        {
            Interval = "2s",
            Threshold = 5,
            Iterations = 3,
            Match = [new HttpMatchRequest { Headers = new Dictionary<string, StringMatch> { ["x-canary"] = new() { Exact = "insider" } } }],
            Metrics =
            [
                new CanaryMetric
                {
                    Name = "error-rate",
                    Interval = "10s",
                    TemplateRef = new CrossNamespaceObjectReference { Name = "error-rate" },
                    ThresholdRange = new CanaryThresholdRange { Max = 1 },
                },
            ],
        });
        await s.WaitForPhaseAsync(CanaryPhase.Initialized);
        await s.EditTemplateAsync(image: Podinfo.NewImage);

        // Once the data plane routes insiders to the canary, measure a stretch of traffic inside the A/B phase.
        await s.WaitUntilAsync(() => s.Canary()?.Status?.Phase == CanaryPhase.Progressing && IsAbSplit(s.Routing(), insiders), "A/B routes in place");
        var before = s.Traffic();
        await s.WaitUntilAsync(c => c?.Status?.Iterations >= 2 || c?.Status?.Phase != CanaryPhase.Progressing, "two A/B iterations");
        var during = s.Traffic().Since(before);
        Assert.True(IsAbSplit(s.Routing(), insiders), "A/B routing ended before the measurement did");

        Assert.True(during.Count(k => k.Segment == insiders && k.Workload == "podinfo") > 0, "no insider reached the canary");
        Assert.Equal(0, during.Count(k => k.Segment == insiders && k.Workload == "podinfo-primary"));
        Assert.True(during.Count(k => k.Segment == RequestSegment.DefaultName && k.Workload == "podinfo-primary") > 0, "no other user reached the primary");
        Assert.Equal(0, during.Count(k => k.Segment == RequestSegment.DefaultName && k.Workload == "podinfo"));

        await s.WaitForPhaseAsync(CanaryPhase.Succeeded);
        var iterations = s.Observer.Statuses.Where(st => st.Phase == CanaryPhase.Progressing).Select(st => st.Iterations).Distinct().ToList();
        Assert.Equal([0, 1, 2, 3], iterations);
        Assert.Equal([0, 100, 0], s.Observer.RouteWeights);
        Assert.Equal(Podinfo.NewImage, (await s.DeploymentAsync("podinfo-primary")).Spec.Template.Spec.Containers[0].Image);
    }

    /// <summary>Insiders all go to the canary Service, everyone else all to the primary.</summary>
    private static bool IsAbSplit(IReadOnlyList<SegmentRoute> routes, string insiders) =>
        routes.All(r => r.Backends.Where(b => b.Share > 0).Select(b => b.Service).SequenceEqual(
            [r.Segment == insiders ? "podinfo-canary" : "podinfo-primary"]));

    /// <summary>Percentage of 5xx answers of the canary's Envoy cluster, as a user's MetricTemplate would query it.</summary>
    private static MetricTemplate ErrorRateTemplate(Uri prometheus) => new()
    {
        Metadata = new k8s.Models.V1ObjectMeta { Name = "error-rate" },
        Spec = new MetricTemplateSpec
        {
            Provider = new MetricProvider { Type = MetricProviderTypes.Prometheus, Address = prometheus.ToString() },
            Query = """
                100 - sum(rate(envoy_cluster_upstream_rq{envoy_cluster_name=~"{{ namespace }}_{{ service }}-canary_[0-9]+",envoy_response_code!~"5.*"}[{{ interval }}]))
                / sum(rate(envoy_cluster_upstream_rq{envoy_cluster_name=~"{{ namespace }}_{{ service }}-canary_[0-9]+"}[{{ interval }}])) * 100
                """,
        },
    };
}
