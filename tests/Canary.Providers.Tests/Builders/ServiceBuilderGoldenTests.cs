using System.Text.Json.Nodes;
using Canary.Api.V1Beta1;
using Canary.Providers.Naming;
using Canary.Providers.Services;
using Canary.Providers.Tests.Support;
using k8s.Models;

namespace Canary.Providers.Tests.Builders;

public sealed class ServiceBuilderGoldenTests
{
    private static readonly ServiceTarget Target = new(new TargetSelector("app", "podinfo"));

    [Fact]
    public void Basic_apex_primary_and_canary_services()
    {
        var canary = TestCanaries.Podinfo();
        Golden.AssertMatches("services", "basic", All(canary, Target));
    }

    [Fact]
    public void Port_discovery_headless_named_target_port_and_metadata()
    {
        var canary = TestCanaries.Podinfo(c =>
        {
            var s = c.Spec.Service!;
            s.Name = "frontend";
            s.PortName = "http-web";
            s.TargetPort = "http";
            s.AppProtocol = "http";
            s.Headless = true;
            s.PortDiscovery = true;
            s.TrafficDistribution = "PreferClose";
            s.Apex = new CustomMetadata
            {
                Labels = new Dictionary<string, string> { ["tier"] = "web" },
                Annotations = new Dictionary<string, string> { ["team"] = "a", ["kustomize.toolkit.fluxcd.io/name"] = "stripped" },
            };
            s.Canary = new CustomMetadata { Annotations = new Dictionary<string, string> { ["role"] = "canary" } };
        });
        var pod = new V1PodSpec
        {
            Containers =
            [
                new V1Container
                {
                    Name = "podinfo",
                    Ports =
                    [
                        new V1ContainerPort { Name = "http", ContainerPort = 9898 },
                        new V1ContainerPort { Name = "http-metrics", ContainerPort = 9797 },
                        new V1ContainerPort { ContainerPort = 9999 },
                    ],
                },
                new V1Container { Name = "istio-proxy", Ports = [new V1ContainerPort { Name = "http-envoy-prom", ContainerPort = 15090 }] },
            ],
        };
        var target = new ServiceTarget(new TargetSelector("app", "podinfo"), PortDiscovery.Discover(canary.Spec.Service!, pod));
        Golden.AssertMatches("services", "port-discovery-headless", All(canary, target));
    }

    [Theory]
    [InlineData("PreferClose")]
    [InlineData("PreferSameZone")]
    [InlineData("PreferSameNode")]
    public void Every_trafficDistribution_value_reaches_every_service(string value)
    {
        var canary = TestCanaries.Podinfo(c => c.Spec.Service!.TrafficDistribution = value);

        Assert.All(
            [ServiceBuilder.Apex(canary, Target), ServiceBuilder.Primary(canary, Target), ServiceBuilder.Canary(canary, Target)],
            service => Assert.Equal(value, service.Spec.TrafficDistribution));
    }

    [Fact]
    public void Port_discovery_skips_the_service_port_and_proxies_and_names_unnamed_ports()
    {
        var service = new CanaryService { Port = 9898 };
        var pod = new V1PodSpec
        {
            Containers =
            [
                new V1Container { Name = "app", Ports = [new() { ContainerPort = 9898 }, new() { ContainerPort = 8080 }] },
                new V1Container { Name = "envoy", Ports = [new() { ContainerPort = 15000 }] },
            ],
        };
        Assert.Equal(new Dictionary<string, int> { ["tcp-app-1"] = 8080 }, PortDiscovery.Discover(service, pod));
    }

    private static JsonArray All(CanaryResource canary, ServiceTarget target) =>
    [
        Golden.Of(ServiceBuilder.Apex(canary, target)),
        Golden.Of(ServiceBuilder.Primary(canary, target)),
        Golden.Of(ServiceBuilder.Canary(canary, target)),
    ];
}
