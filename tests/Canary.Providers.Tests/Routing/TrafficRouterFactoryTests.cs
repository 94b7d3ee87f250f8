using Canary.Providers.Routers;
using Canary.Providers.Routing;
using Canary.Providers.Tests.Support;
using Microsoft.Extensions.Options;
using k8s;

namespace Canary.Providers.Tests.Routing;

public sealed class TrafficRouterFactoryTests
{
    private static readonly IKubernetes Kube = new k8s.Kubernetes(new KubernetesClientConfiguration { Host = "http://127.0.0.1:1" });

    [Theory]
    [InlineData("kubernetes", typeof(KubernetesRouter))]
    [InlineData("gatewayapi", typeof(GatewayApiRouter))]
    [InlineData("gatewayapi:v1", typeof(GatewayApiRouter))]
    [InlineData("gatewayapi:v1beta1", typeof(GatewayApiRouter))]
    [InlineData("nginx", typeof(NginxRouter))]
    [InlineData("istio", typeof(IstioRouter))]
    [InlineData("linkerd", typeof(SmiRouter))]
    [InlineData("smi:v1alpha1", typeof(SmiRouter))]
    [InlineData("smi:v1alpha2", typeof(SmiRouter))]
    [InlineData("smi:v1alpha3", typeof(SmiRouter))]
    [InlineData("smi:v1alpha2:linkerd", typeof(SmiRouter))]
    [InlineData("contour", typeof(ContourRouter))]
    [InlineData("traefik", typeof(TraefikRouter))]
    [InlineData("skipper", typeof(SkipperRouter))]
    [InlineData("kuma", typeof(KumaRouter))]
    [InlineData("gloo", typeof(GlooRouter))]
    [InlineData("apisix", typeof(ApisixRouter))]
    [InlineData("knative", typeof(KnativeRouter))]
    public void Maps_every_supported_provider(string provider, Type expected)
    {
        var router = new TrafficRouterFactory(Kube, Options.Create(new TrafficRouterOptions())).Create(provider);
        Assert.IsType(expected, router);
        Assert.Equal(provider, router.Provider);
    }

    [Theory]
    [InlineData("appmesh")]
    [InlineData("Istio")]
    [InlineData("osm")]
    [InlineData("linkerd:v1")]
    public void Unknown_or_unimplemented_providers_are_a_clear_error_not_a_silent_default(string provider)
    {
        var error = Assert.Throws<TrafficRouterException>(() => new TrafficRouterFactory(Kube, Options.Create(new TrafficRouterOptions())).Create(provider));
        Assert.Contains($"'{provider}' is not supported", error.Message, StringComparison.Ordinal);
        Assert.Contains("gatewayapi:v1beta1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_provider_uses_the_default_or_fails()
    {
        var canary = TestCanaries.Podinfo();
        Assert.Throws<TrafficRouterException>(() => new TrafficRouterFactory(Kube, Options.Create(new TrafficRouterOptions())).CreateFor(canary));
        var router = new TrafficRouterFactory(Kube, Options.Create(new TrafficRouterOptions { DefaultProvider = "istio" })).CreateFor(canary);
        Assert.IsType<IstioRouter>(router);
    }

    [Fact]
    public void Router_kinds_name_the_resources_each_provider_writes()
    {
        Assert.Equal(["services"], RouterKinds.For("kubernetes").Select(k => k.Plural));
        Assert.Equal(["v1", "gateway.networking.k8s.io/v1"], RouterKinds.For("gatewayapi").Select(k => k.ApiVersion));
        Assert.Equal(["v1", "gateway.networking.k8s.io/v1beta1"], RouterKinds.For("gatewayapi:v1beta1").Select(k => k.ApiVersion));
        Assert.Equal(["services", "ingresses"], RouterKinds.For("nginx").Select(k => k.Plural));
        Assert.Equal(["services", "virtualservices", "destinationrules"], RouterKinds.For("istio").Select(k => k.Plural));
        Assert.Equal(["v1", "kuma.io/v1alpha1"], RouterKinds.For("kuma").Select(k => k.ApiVersion));
        Assert.Equal(["v1", "traefik.io/v1alpha1", "traefik.containo.us/v1alpha1"], RouterKinds.For("traefik").Select(k => k.ApiVersion));
        Assert.Equal(["services", "services", "revisions"], RouterKinds.For("knative").Select(k => k.Plural));
        Assert.Equal(["v1", "serving.knative.dev/v1", "serving.knative.dev/v1"], RouterKinds.For("knative").Select(k => k.ApiVersion));
        Assert.Throws<TrafficRouterException>(() => RouterKinds.For("appmesh"));
    }
}
