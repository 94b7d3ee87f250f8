using Canary.E2E.Infrastructure;
using Xunit.Abstractions;

namespace Canary.E2E.Scenarios;

/// <summary>
/// The gloo provider (a RouteTable over two generated Upstreams) on a controller whose default is Gateway API: the Canary names its provider, the
/// simulated Gloo Envoy routes by the RouteTable, and the built-in checks read its Envoy cluster metrics per upstream.
/// </summary>
[Collection(LifecycleScenarios.Name)]
public sealed class GlooTests(GatewayApiEnvironment env, ITestOutputHelper output)
{
    private const string Provider = "gloo";

    [Fact]
    public async Task Weights_then_an_AB_release_then_a_rollback_on_the_RouteTable()
    {
        await using var s = await CanaryScenario.StartAsync(env, "gloo", Provider, output);
        await s.CreateAppAsync(segments: [ProviderReleaseStory.InsidersSegment()]);
        await ProviderReleaseStory.WeightsThenAbThenRollBackAsync(s, "RouteTable");
    }
}
