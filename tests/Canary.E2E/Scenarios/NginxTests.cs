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
        await s.Client.NetworkingV1.CreateNamespacedIngressAsync(UserIngress(s.Namespace), s.Namespace);
        await s.CreateAppAsync(segments: [ProviderReleaseStory.InsidersSegment()]);
        await ProviderReleaseStory.WeightsThenAbThenRollBackAsync(
            s,
            "canary Ingress",
            customize: c => c.Spec.IngressRef = new LocalObjectReference { ApiVersion = "networking.k8s.io/v1", Kind = "Ingress", Name = Podinfo.Name });
    }

    private static V1Ingress UserIngress(string ns) => new()
    {
        Metadata = new V1ObjectMeta { Name = Podinfo.Name, NamespaceProperty = ns },
        Spec = new V1IngressSpec
        {
            IngressClassName = "nginx",
            Rules =
            [
                new V1IngressRule
                {
                    Host = "app.example.com",
                    Http = new V1HTTPIngressRuleValue
                    {
                        Paths = [new V1HTTPIngressPath { Path = "/", PathType = "Prefix", Backend = new V1IngressBackend { Service = new V1IngressServiceBackend { Name = Podinfo.Name, Port = new V1ServiceBackendPort { Number = Podinfo.Port } } } }],
                    },
                },
            ],
        },
    };
}
