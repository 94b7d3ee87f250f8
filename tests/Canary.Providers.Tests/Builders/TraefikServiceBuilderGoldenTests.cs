using Canary.Api.V1Beta1;
using Canary.Providers.Builders;
using Canary.Providers.Routing;
using Canary.Providers.Tests.Support;

namespace Canary.Providers.Tests.Builders;

public sealed class TraefikServiceBuilderGoldenTests
{
    [Fact]
    public void Canary_80_20_weights_both_services_and_carries_the_apex_metadata()
    {
        var canary = TestCanaries.Podinfo(c => c.Spec.Service!.Apex = new CustomMetadata
        {
            Labels = new Dictionary<string, string> { ["team"] = "web", ["kustomize.toolkit.fluxcd.io/name"] = "apps" },
            Annotations = new Dictionary<string, string> { ["owner"] = "web-team" },
        });
        var service = TraefikServiceBuilder.Build(canary, RouterKinds.TraefikService, new RouteState(80, 20, false));
        Golden.AssertMatches("traefik", "canary-80-20", service);
    }

    [Fact]
    public void All_on_the_primary_lists_only_the_primary_in_the_older_group()
    {
        var service = TraefikServiceBuilder.Build(TestCanaries.Podinfo(), RouterKinds.TraefikServiceContainous, RouteState.AllPrimary);
        Golden.AssertMatches("traefik", "primary-only-containous", service);
    }

    [Theory]
    [InlineData(100, 0)]
    [InlineData(70, 30)]
    [InlineData(0, 100)]
    public void The_split_reads_back_as_written(int primary, int canary)
    {
        var podinfo = TestCanaries.Podinfo();
        var service = TraefikServiceBuilder.Build(podinfo, RouterKinds.TraefikService, new RouteState(primary, canary, false));
        Assert.Equal(new RouteState(primary, canary, false), TraefikServiceBuilder.ReadRoutes(service, Naming.CanaryNames.Services(podinfo)));
    }
}
