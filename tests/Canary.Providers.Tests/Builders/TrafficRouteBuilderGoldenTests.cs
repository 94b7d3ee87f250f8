using Canary.Api.V1Beta1;
using Canary.Providers.Builders;
using Canary.Providers.Routing;
using Canary.Providers.Tests.Support;

namespace Canary.Providers.Tests.Builders;

public sealed class TrafficRouteBuilderGoldenTests
{
    [Fact]
    public void Canary_70_30_in_the_default_mesh_with_Flaggers_port_annotation()
    {
        var route = TrafficRouteBuilder.Build(TestCanaries.Podinfo(), new RouteState(70, 30, false));
        Golden.AssertMatches("kuma", "canary-70-30", route);
    }

    [Fact]
    public void The_mesh_comes_from_the_canarys_annotation_and_apex_metadata_replaces_the_port_annotation()
    {
        var canary = TestCanaries.Podinfo(c =>
        {
            c.Metadata.Annotations = new Dictionary<string, string> { ["kuma.io/mesh"] = "payments" };
            c.Spec.Service!.Apex = new CustomMetadata { Annotations = new Dictionary<string, string> { ["team"] = "web" } };
        });
        var route = TrafficRouteBuilder.Build(canary, RouteState.AllPrimary);

        Assert.Equal("payments", (string?)route["mesh"]);
        Assert.Equal("podinfo.test", (string?)route["metadata"]!["name"]);
        Assert.Equal("web", (string?)route["metadata"]!["annotations"]!["team"]);
        Assert.Null(route["metadata"]!["annotations"]!["9898.service.kuma.io"]);
        Assert.Equal("test/podinfo", (string?)route["metadata"]!["annotations"]![TrafficRouteBuilder.OwnerAnnotation]);
        Assert.Null(route["metadata"]!["ownerReferences"]);
    }

    [Theory]
    [InlineData(100, 0)]
    [InlineData(40, 60)]
    [InlineData(0, 100)]
    public void The_split_reads_back_as_written(int primary, int canary)
    {
        var podinfo = TestCanaries.Podinfo();
        Assert.Equal(new RouteState(primary, canary, false), TrafficRouteBuilder.ReadRoutes(podinfo, TrafficRouteBuilder.Build(podinfo, new RouteState(primary, canary, false))));
    }
}
