using Canary.Api.V1Beta1;
using Canary.E2E.Infrastructure;
using Canary.Sandbox.Influx;
using k8s.Models;
using Xunit.Abstractions;

namespace Canary.E2E.Scenarios;

/// <summary>
/// Metric analysis on InfluxDB instead of Prometheus: a real InfluxDB 1.x (Debian's influxd) fed by the traffic
/// simulator's per-workload totals every second (as an app pushing through StatsD/Telegraf), and a MetricTemplate of
/// type influxdb with an InfluxQL query deciding a release over HTTPRoute weights.
/// </summary>
[Collection(RolloutScenarios.Name)]
public sealed class InfluxDbMetricsTests(GatewayApiEnvironment env, ITestOutputHelper output)
{
    [Fact]
    public async Task A_good_version_is_promoted_and_a_bad_one_rolled_back_on_an_influxql_error_rate()
    {
        await using var influx = await InfluxDbRunner.StartAsync("canary");
        await using var pusher = InfluxPusher.Start(env.Traffic, influx);
        await using var s = await CanaryScenario.StartAsync(env, "influx", GatewayApiEnvironment.Provider, output);
        await s.CreateAppAsync();
        await s.CreateMetricTemplateAsync(ErrorRate(influx));
        var analysis = ProviderReleaseStory.Steps();
        analysis.Metrics = [new CanaryMetric { Name = "error-rate", Interval = "10s", TemplateRef = new() { Name = "influx-error-rate" }, ThresholdRange = new() { Max = 5 } }];
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

    // The share of the target's answers that were 5xx over the metric's window, from the pushed totals.
    private static MetricTemplate ErrorRate(InfluxDbRunner influx) => new()
    {
        Metadata = new V1ObjectMeta { Name = "influx-error-rate" },
        Spec = new MetricTemplateSpec
        {
            Provider = new MetricProvider { Type = MetricProviderTypes.InfluxDb, Address = new Uri(influx.Url, "?db=canary").ToString() },
            Query = """
                SELECT 100 * sum("errors") / sum("requests") FROM "http_requests"
                WHERE "namespace" = '{{ namespace }}' AND "workload" = '{{ target }}' AND time > now() - {{ interval }}
                """,
        },
    };
}
