using Canary.E2E.Infrastructure;
using Xunit.Abstractions;

namespace Canary.E2E.Scenarios;

/// <summary>
/// The linkerd provider (SMI TrafficSplit) on a controller whose default is Gateway API: the Canary names its provider,
/// the simulated Linkerd proxies split by the TrafficSplit, and the built-in checks read Linkerd's own metrics from the
/// real Prometheus.
/// </summary>
[Collection(RolloutScenarios.Name)]
public sealed class LinkerdTests(GatewayApiEnvironment env, ITestOutputHelper output)
{
    private const string Provider = "linkerd";

    [Fact]
    public async Task A_good_version_steps_through_the_TrafficSplit_and_is_promoted_and_a_bad_one_is_rolled_back()
    {
        await using var s = await CanaryScenario.StartAsync(env, "linkerd", Provider, output);
        await s.CreateAppAsync();
        await ProviderReleaseStory.PromoteThenRollBackAsync(s, "the split");
    }
}
