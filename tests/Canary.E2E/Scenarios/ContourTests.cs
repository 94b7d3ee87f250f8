using Canary.E2E.Infrastructure;
using Xunit.Abstractions;

namespace Canary.E2E.Scenarios;

/// <summary>
/// The contour provider (HTTPProxy) on a controller whose default is Gateway API: the Canary names its provider, the
/// simulated Envoy routes by the HTTPProxy, and the built-in checks read Contour's Envoy cluster metrics.
/// </summary>
[Collection(LifecycleScenarios.Name)]
public sealed class ContourTests(GatewayApiEnvironment env, ITestOutputHelper output)
{
    private const string Provider = "contour";

    [Fact]
    public async Task Weights_then_an_AB_release_then_a_rollback_on_the_HTTPProxy()
    {
        await using var s = await CanaryScenario.StartAsync(env, "contour", Provider, output);
        await s.CreateAppAsync(segments: [ProviderReleaseStory.InsidersSegment()]);
        // Flagger's contour script fails its release with a load test on /delay/1.
        await ProviderReleaseStory.WeightsThenAbThenRollBackAsync(s, "HTTPProxy", ProviderReleaseStory.Slow);
    }
}
