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
        await MetricStoreReleaseStory.PromoteThenRollBackAsync(s, ErrorRate(influx), pusher);
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
