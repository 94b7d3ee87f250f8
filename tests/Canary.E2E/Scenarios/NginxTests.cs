using Canary.Api.V1Beta1;
using Canary.E2E.Infrastructure;
using k8s;
using k8s.Models;
using Xunit.Abstractions;

namespace Canary.E2E.Scenarios;

/// <summary>
/// The nginx provider (a canary Ingress cloned from the user's, weighted by annotations), as Flagger's
/// test/nginx/test-canary.sh and test-lifecycle.sh: weights, an A/B release on a header, then a release rolled back while
/// the clients ask podinfo for <c>/status/500</c>; the simulated ingress-nginx splits by the canary annotations.
/// </summary>
[Collection(ControlScenarios.Name)]
public sealed class NginxTests(ControlsEnvironment env, ITestOutputHelper output)
{
    [Fact]
    public async Task Weights_then_an_AB_release_then_a_rollback_on_the_canary_Ingress()
    {
        await using var s = await CanaryScenario.StartAsync(env, "nginx", "nginx", output);
        await s.Client.NetworkingV1.CreateNamespacedIngressAsync(Podinfo.Ingress(s.Namespace, "nginx"), s.Namespace);
        await s.CreateAppAsync(segments: [ProviderReleaseStory.InsidersSegment()]);
        await ProviderReleaseStory.WeightsThenAbThenRollBackAsync(
            s,
            "canary Ingress",
            customize: c => c.Spec.IngressRef = new LocalObjectReference { ApiVersion = "networking.k8s.io/v1", Kind = "Ingress", Name = Podinfo.Name });
    }
}
