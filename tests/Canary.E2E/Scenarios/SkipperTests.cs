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
        await s.Client.NetworkingV1.CreateNamespacedIngressAsync(UserIngress(s.Namespace), s.Namespace);
        await s.CreateAppAsync();
        await s.CreateCanaryAsync(
            new CanaryAnalysis
            {
                Interval = "2s",
                Threshold = 2,
                StepWeight = 20,
                MaxWeight = 60,
                Metrics = [Podinfo.SuccessRate(min: 95)],
            },
            c => c.Spec.IngressRef = new LocalObjectReference { ApiVersion = "networking.k8s.io/v1", Kind = "Ingress", Name = Podinfo.Name });
        await s.WaitForPhaseAsync(CanaryPhase.Initialized);
        Assert.Equal(0, s.Observer.RouteWeights[^1]);

        // Good: every step in the canary Ingress' backend weights, then all traffic back on the (updated) primary.
        await s.EditTemplateAsync(image: Podinfo.NewImage);
        await s.WaitForPhaseAsync(CanaryPhase.Succeeded);
        Assert.Equal([0, 20, 40, 60], s.Observer.StatusWeights(CanaryPhase.Progressing));
        Assert.Equal([0, 20, 40, 60, 0], s.Observer.RouteWeights);
        Assert.Equal(Podinfo.NewImage, (await s.DeploymentAsync("podinfo-primary")).Spec.Template.Spec.Containers[0].Image);
        Assert.True(s.Traffic().ByWorkload("podinfo") > 0, "the canary pods never served a request through Skipper");
        var canaryIngress = await s.Client.NetworkingV1.ReadNamespacedIngressAsync("podinfo-canary", s.Namespace);
        Assert.Equal("False()", canaryIngress.Metadata.Annotations["zalando.org/skipper-predicate"]);

        // Bad: half of the canary's answers fail; Skipper's route metrics say so and the release is rolled back.
        await s.EditTemplateAsync(image: "ghcr.io/stefanprodan/podinfo:6.0.2", annotations: Podinfo.ErrorRate(0.5));
        var failed = await s.WaitForPhaseAsync(CanaryPhase.Failed);
        Assert.Equal(0, failed.Status!.CanaryWeight ?? 0);
        Assert.Equal(0, s.Observer.RouteWeights[^1]);
        Assert.Equal(Podinfo.NewImage, (await s.DeploymentAsync("podinfo-primary")).Spec.Template.Spec.Containers[0].Image);
        Assert.Contains($"Rolling back podinfo.{s.Namespace} failed checks threshold reached 2", await s.EventMessagesAsync());
    }

    private static V1Ingress UserIngress(string ns) => new()
    {
        Metadata = new V1ObjectMeta { Name = Podinfo.Name, NamespaceProperty = ns },
        Spec = new V1IngressSpec
        {
            IngressClassName = "skipper",
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
