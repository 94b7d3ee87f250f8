using Canary.Api.V1Beta1;
using Canary.E2E.Infrastructure;
using Canary.Sandbox.Graphite;
using k8s.Models;
using Xunit.Abstractions;

namespace Canary.E2E.Scenarios;

/// <summary>
/// Metric analysis on Graphite instead of Prometheus: a real Graphite (Debian's carbon-cache and graphite-web) fed by the
/// traffic simulator's per-workload totals every second (as an app pushing through StatsD), and a MetricTemplate of type
/// graphite with a render target deciding a release over HTTPRoute weights.
/// </summary>
[Collection(RolloutScenarios.Name)]
public sealed class GraphiteMetricsTests(GatewayApiEnvironment env, ITestOutputHelper output)
{
    [Fact]
    public async Task A_good_version_is_promoted_and_a_bad_one_rolled_back_on_a_graphite_error_rate()
    {
        await using var graphite = await GraphiteRunner.StartAsync();
        await using var pusher = GraphitePusher.Start(env.Traffic, graphite);
        await using var s = await CanaryScenario.StartAsync(env, "graphite", GatewayApiEnvironment.Provider, output);
        await s.CreateAppAsync();
        await s.CreateMetricTemplateAsync(ErrorRate(graphite));
        var analysis = ProviderReleaseStory.Steps();
        analysis.Metrics = [new CanaryMetric { Name = "error-rate", Interval = "10s", TemplateRef = new() { Name = "graphite-error-rate" }, ThresholdRange = new() { Max = 5 } }];
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

    // The share of the target's answers that were 5xx over the metric's window, from the pushed series.
    private static MetricTemplate ErrorRate(GraphiteRunner graphite) => new()
    {
        Metadata = new V1ObjectMeta { Name = "graphite-error-rate" },
        Spec = new MetricTemplateSpec
        {
            Provider = new MetricProvider { Type = MetricProviderTypes.Graphite, Address = graphite.Url.ToString() },
            Query = """
                target=asPercent(
                  summarize(canary.{{ namespace }}.{{ target }}.errors, '{{ interval }}', 'sum', true),
                  summarize(canary.{{ namespace }}.{{ target }}.requests, '{{ interval }}', 'sum', true))
                &from=-{{ interval }}
                """,
        },
    };
}
