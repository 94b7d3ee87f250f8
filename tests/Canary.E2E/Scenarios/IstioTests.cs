using Canary.E2E.Infrastructure;
using Xunit.Abstractions;

namespace Canary.E2E.Scenarios;

/// <summary>
/// The istio provider (VirtualService and DestinationRules) on a controller whose default is Gateway API, as Flagger's
/// test/istio/test-canary.sh: weights, an A/B release on a header, then a release rolled back while the clients ask
/// podinfo for <c>/status/500</c>; simulated Envoy sidecars split by the VirtualService and report Istio's metrics.
/// </summary>
[Collection(ControlScenarios.Name)]
public sealed class IstioTests(ControlsEnvironment env, ITestOutputHelper output)
{
    [Fact]
    public async Task Weights_then_an_AB_release_then_a_rollback_on_the_VirtualService()
    {
        await using var s = await CanaryScenario.StartAsync(env, "istio", "istio", output);
        await s.CreateAppAsync(segments: [ProviderReleaseStory.InsidersSegment()]);
        await ProviderReleaseStory.WeightsThenAbThenRollBackAsync(s, "VirtualService");
    }
}
