using Canary.Api.V1Beta1;
using Canary.E2E.Infrastructure;
using k8s;
using k8s.Models;
using Xunit.Abstractions;

namespace Canary.E2E.Scenarios;

/// <summary>
/// The skipper provider on a controller whose default is Gateway API: the user's Ingress, the canary Ingress the
/// controller writes beside it, simulated Skipper choosing between them by their predicates and splitting by
/// <c>zalando.org/backend-weights</c>, and the built-in checks reading Skipper's route metrics from the real Prometheus.
/// </summary>
[Collection(RolloutScenarios.Name)]
public sealed class SkipperTests(GatewayApiEnvironment env, ITestOutputHelper output)
{
    private const string Provider = "skipper";

    [Fact]
    public async Task A_good_version_steps_through_the_canary_Ingress_and_is_promoted_and_a_bad_one_is_rolled_back()
    {
        await using var s = await CanaryScenario.StartAsync(env, "skipper", Provider, output);
        await s.Client.NetworkingV1.CreateNamespacedIngressAsync(Podinfo.Ingress(s.Namespace, "skipper"), s.Namespace);
        await s.CreateAppAsync();
        await ProviderReleaseStory.PromoteThenRollBackAsync(
            s,
            "Skipper",
            customize: c => c.Spec.IngressRef = new LocalObjectReference { ApiVersion = "networking.k8s.io/v1", Kind = "Ingress", Name = Podinfo.Name });

        // At weight 0 the canary Ingress is disabled, so the user's Ingress serves everything.
        var canaryIngress = await s.Client.NetworkingV1.ReadNamespacedIngressAsync("podinfo-canary", s.Namespace);
        Assert.Equal("False()", canaryIngress.Metadata.Annotations["zalando.org/skipper-predicate"]);
    }
}
