using Canary.Providers.Builders;
using Canary.Providers.Naming;
using Canary.Providers.Routing;
using Canary.Providers.Tests.Support;

namespace Canary.Providers.Tests.Builders;

public sealed class TrafficSplitBuilderGoldenTests
{
    [Fact]
    public void Linkerd_v1alpha1_weights_are_quantities()
    {
        var split = TrafficSplitBuilder.Build(TestCanaries.Podinfo(), RouterKinds.TrafficSplitV1Alpha1, new RouteState(90, 10, false), "linkerd");
        Golden.AssertMatches("smi", "linkerd-v1alpha1-90-10", split);
    }

    [Fact]
    public void V1alpha2_weights_are_integers_and_the_root_service_is_the_first_host()
    {
        var canary = TestCanaries.Podinfo(c => c.Spec.Service!.Hosts = ["podinfo.example.com", "other.example.com"]);
        var split = TrafficSplitBuilder.Build(canary, RouterKinds.TrafficSplitV1Alpha2, RouteState.AllPrimary, null);
        Golden.AssertMatches("smi", "v1alpha2-hosts", split);
    }

    [Fact]
    public void V1alpha3_for_the_istio_mesh_carries_the_gateways_annotation()
    {
        var canary = TestCanaries.Podinfo(c => c.Spec.Service!.Gateways = ["public-gateway.istio-system.svc.cluster.local", "mesh"]);
        var split = TrafficSplitBuilder.Build(canary, RouterKinds.TrafficSplitV1Alpha3, new RouteState(40, 60, false), "istio");
        Golden.AssertMatches("smi", "v1alpha3-istio-gateways", split);
    }

    [Theory]
    [InlineData("\"90\"", 90)]
    [InlineData("90", 90)]
    [InlineData("\"500m\"", 1)]
    [InlineData("\"0\"", 0)]
    public void Weights_are_read_back_as_written_by_any_version(string weight, int expected)
    {
        var names = CanaryNames.Services(TestCanaries.Podinfo());
        var split = System.Text.Json.Nodes.JsonNode.Parse(
            $$$"""{"spec":{"service":"podinfo","backends":[{"service":"podinfo-canary","weight":{{{weight}}}},{"service":"podinfo-primary","weight":10}]}}""")!.AsObject();

        Assert.Equal(new RouteState(10, expected, false), TrafficSplitBuilder.ReadRoutes(split, names));
    }

    [Fact]
    public void A_split_without_both_backends_reads_as_nothing()
    {
        var names = CanaryNames.Services(TestCanaries.Podinfo());
        var split = System.Text.Json.Nodes.JsonNode.Parse("""{"spec":{"backends":[{"service":"podinfo-primary","weight":100}]}}""")!.AsObject();

        Assert.Null(TrafficSplitBuilder.ReadRoutes(split, names));
    }
}
