using Canary.Api.V1Beta1;
using Canary.E2E.Infrastructure;
using Canary.Sandbox.Demo;
using k8s;
using Xunit.Abstractions;

namespace Canary.E2E.Scenarios;

/// <summary>
/// The apisix provider on a controller whose default is Gateway API: the user's ApisixRoute, the canary ApisixRoute the
/// controller writes beside it, the simulated APISIX ingress preferring it by priority and splitting by its backend
/// weights. APISIX's metrics are per route (the mix of both versions), so the rollback is checked on the success rate
/// of that mix, as Flagger's built-in query reads it.
/// </summary>
[Collection(RolloutScenarios.Name)]
public sealed class ApisixTests(GatewayApiEnvironment env, ITestOutputHelper output)
{
    private const string Provider = "apisix";

    [Fact]
    public async Task A_good_version_steps_through_the_canary_ApisixRoute_and_is_promoted_and_a_bad_one_is_rolled_back()
    {
        await using var s = await CanaryScenario.StartAsync(env, "apisix", Provider, output);
        var route = DemoManifests.ApisixRoute(Podinfo.Name);
        route["metadata"]!["namespace"] = s.Namespace;
        await s.Client.CustomObjects.CreateNamespacedCustomObjectAsync(route, "apisix.apache.org", "v2", s.Namespace, "apisixroutes");
        await s.CreateAppAsync();

        await ProviderReleaseStory.PromoteThenRollBackAsync(
            s,
            "APISIX",
            customize: c => c.Spec.RouteRef = new LocalObjectReference { ApiVersion = "apisix.apache.org/v2", Kind = "ApisixRoute", Name = Podinfo.Name });
    }
}
