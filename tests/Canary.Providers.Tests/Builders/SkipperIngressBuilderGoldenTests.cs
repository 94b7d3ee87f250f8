using Canary.Api.V1Beta1;
using Canary.Providers.Builders;
using Canary.Providers.Routing;
using Canary.Providers.Tests.Support;
using k8s.Models;

namespace Canary.Providers.Tests.Builders;

public sealed class SkipperIngressBuilderGoldenTests
{
    internal static V1Ingress UserIngress(string? predicate = null)
    {
        var ingress = CanaryIngressBuilderGoldenTests.UserIngress();
        ingress.Spec.IngressClassName = "skipper";
        ingress.Metadata.Annotations = new Dictionary<string, string>
        {
            ["kubectl.kubernetes.io/last-applied-configuration"] = "{}",
            ["kustomize.toolkit.fluxcd.io/checksum"] = "abc",
        };
        if (predicate is not null)
        {
            ingress.Metadata.Annotations[SkipperIngressBuilder.Predicate] = predicate;
        }

        return ingress;
    }

    internal static CanaryResource SkipperCanary(Action<CanaryResource>? configure = null) => CanaryIngressBuilderGoldenTests.NginxCanary(c =>
    {
        c.Spec.Provider = "skipper";
        configure?.Invoke(c);
    });

    [Fact]
    public void Canary_ingress_at_weight_20_keeps_the_users_predicates_after_its_own()
    {
        var canary = SkipperCanary();
        var ingress = SkipperIngressBuilder.Build(canary, UserIngress(predicate: "Method(\"GET\") && False()"), new RouteState(80, 20, false));
        Golden.AssertMatches("skipper", "canary-weight-20", Golden.Of(ingress));
        Assert.Equal(new RouteState(80, 20, false), SkipperIngressBuilder.ReadRoutes(canary, ingress));
    }

    [Fact]
    public void At_weight_0_the_canary_ingress_is_disabled_and_the_users_ingress_serves()
    {
        var canary = SkipperCanary();
        var ingress = SkipperIngressBuilder.Build(canary, UserIngress(), new RouteState(80, 20, false));
        var annotations = SkipperIngressBuilder.RouteAnnotations(canary, ingress.Metadata.Annotations, RouteState.AllPrimary);

        Assert.Equal("False()", annotations[SkipperIngressBuilder.Predicate]);
        Assert.Equal("{\"podinfo-canary\":0,\"podinfo-primary\":100}", annotations[SkipperIngressBuilder.BackendWeights]);
        Assert.Equal("Weight(100)", SkipperIngressBuilder.RouteAnnotations(canary, annotations, new RouteState(0, 100, false))[SkipperIngressBuilder.Predicate]);
    }

    [Fact]
    public void An_ingress_without_the_apex_backend_is_an_error_naming_it()
    {
        var canary = SkipperCanary(c => c.Spec.Service!.Name = "frontend");
        var error = Assert.Throws<TrafficRouterException>(() => SkipperIngressBuilder.Build(canary, UserIngress(), RouteState.AllPrimary));
        Assert.Equal("backend frontend not found in ingress podinfo.test", error.Message);
    }

    [Theory]
    [InlineData(null, "ingress podinfo-canary.test has no zalando.org/backend-weights annotation")]
    [InlineData("{\"podinfo-primary\":100}", "ingress podinfo-canary.test: zalando.org/backend-weights has no weight 0-100 for podinfo-canary")]
    [InlineData("not json", "ingress podinfo-canary.test: zalando.org/backend-weights has no weight 0-100 for podinfo-primary")]
    public void Unreadable_weights_are_an_error_naming_the_annotation(string? weights, string message)
    {
        var ingress = new V1Ingress { Metadata = new V1ObjectMeta { Name = "podinfo-canary", NamespaceProperty = "test", Annotations = new Dictionary<string, string>() } };
        if (weights is not null)
        {
            ingress.Metadata.Annotations[SkipperIngressBuilder.BackendWeights] = weights;
        }

        Assert.Equal(message, Assert.Throws<TrafficRouterException>(() => SkipperIngressBuilder.ReadRoutes(SkipperCanary(), ingress)).Message);
    }
}
