using Canary.E2E.Infrastructure;
using Xunit.Abstractions;

namespace Canary.E2E.Scenarios;

/// <summary>
/// The kuma provider (a cluster-scoped Kuma TrafficRoute) on a controller whose default is Gateway API: the Canary names its provider,
/// simulated Kuma proxies split by the TrafficRoute, and the built-in checks read their Envoy metrics
/// from the real Prometheus.
/// </summary>
[Collection(RolloutScenarios.Name)]
public sealed class KumaTests(GatewayApiEnvironment env, ITestOutputHelper output)
{
    private const string Provider = "kuma";

    [Fact]
    public async Task A_good_version_steps_through_the_TrafficRoute_and_is_promoted_a_bad_one_is_rolled_back_and_deletion_removes_the_route()
    {
        await using var s = await CanaryScenario.StartAsync(env, "kuma", Provider, output);
        await s.CreateAppAsync();
        await ProviderReleaseStory.PromoteThenRollBackAsync(s, "the TrafficRoute");

        // Deleted: nothing can garbage-collect the cluster-scoped route, so the controller removes it when it reverts.
        await s.DeleteCanaryAsync();
        await s.WaitUntilAsync(c => c is null, "the Canary gone");
        Assert.DoesNotContain(s.Env.Store.List(Crds.TrafficRoutes, null).Items, r => (string?)r["metadata"]?["name"] == $"podinfo.{s.Namespace}");
    }
}
