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
        await MetricStoreReleaseStory.PromoteThenRollBackAsync(s, ErrorRate(graphite), pusher);
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
