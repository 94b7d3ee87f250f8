using Canary.E2E.Infrastructure;
using Xunit.Abstractions;

namespace Canary.E2E.Scenarios;

/// <summary>
/// The traefik provider (TraefikService) on a controller whose default is Gateway API: the Canary names its provider,
/// simulated Traefik weighs the Services by the TraefikService, and the built-in checks read Traefik's service metrics
/// from the real Prometheus.
/// </summary>
[Collection(RolloutScenarios.Name)]
public sealed class TraefikTests(GatewayApiEnvironment env, ITestOutputHelper output)
{
    private const string Provider = "traefik";

    [Fact]
    public async Task A_good_version_steps_through_the_TraefikService_and_is_promoted_and_a_bad_one_is_rolled_back()
    {
        await using var s = await CanaryScenario.StartAsync(env, "traefik", Provider, output);
        await s.CreateAppAsync();
        await ProviderReleaseStory.PromoteThenRollBackAsync(s, "Traefik");
    }
}
