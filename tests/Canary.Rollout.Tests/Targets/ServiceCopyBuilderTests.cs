using Canary.Api.V1Beta1;
using Canary.Rollout.Targets;
using Canary.Rollout.Tests.Sandbox;
using k8s.Models;

namespace Canary.Rollout.Tests.Targets;

/// <summary>The -primary/-canary copies of a Service target: golden objects and the rules they pin.</summary>
public sealed class ServiceCopyBuilderTests
{
    private static readonly CanaryResource Canary = new()
    {
        Metadata = new V1ObjectMeta { Name = "podinfo", NamespaceProperty = "test", Uid = "0c1d2e3f" },
        Spec = new CanarySpec
        {
            TargetRef = new TargetReference { ApiVersion = "v1", Kind = TargetKinds.Service, Name = "podinfo" },
            Service = new CanaryService { Port = 80, TrafficDistribution = "PreferClose" },
        },
    };

    public static V1Service Target(string version = "blue") => new()
    {
        ApiVersion = "v1",
        Kind = "Service",
        Metadata = new V1ObjectMeta
        {
            Name = "podinfo",
            NamespaceProperty = "test",
            Labels = new Dictionary<string, string> { ["app"] = "podinfo", ["kustomize.toolkit.fluxcd.io/name"] = "apps" },
            Annotations = new Dictionary<string, string> { ["owner"] = "web", ["kubectl.kubernetes.io/last-applied-configuration"] = "{}" },
        },
        Spec = new V1ServiceSpec
        {
            Type = "NodePort",
            ClusterIP = "10.96.0.10",
            ClusterIPs = ["10.96.0.10"],
            Selector = new Dictionary<string, string> { ["app"] = "podinfo-" + version },
            Ports = [new V1ServicePort { Name = "http", Port = 80, Protocol = "TCP", TargetPort = "http", NodePort = 30080 }],
        },
    };

    [Fact]
    public void Primary_copy_of_a_service_target_golden()
    {
        var primary = ServiceCopyBuilder.Build(Canary, Target(), "podinfo-primary", existing: null);

        Golden.AssertMatches("service-primary", primary);
        Assert.Null(primary.Spec.ClusterIP);
        Assert.Null(primary.Spec.Ports[0].NodePort);
        Assert.Equal("podinfo-blue", primary.Spec.Selector["app"]);
    }

    [Fact]
    public void Promotion_copies_the_spec_and_keeps_what_the_api_server_allocated_to_the_copy()
    {
        var existing = ServiceCopyBuilder.Build(Canary, Target(), "podinfo-primary", existing: null);
        existing.Spec.ClusterIP = "10.96.0.20";
        existing.Spec.ClusterIPs = ["10.96.0.20"];
        existing.Spec.Ports[0].NodePort = 30090;

        var promoted = ServiceCopyBuilder.Build(Canary, Target("green"), "podinfo-primary", existing);

        Assert.Equal("podinfo-green", promoted.Spec.Selector["app"]);
        Assert.Equal(("10.96.0.20", 30090), (promoted.Spec.ClusterIP, promoted.Spec.Ports[0].NodePort));
        Assert.Equal(Objects.Json(existing.Metadata.OwnerReferences), Objects.Json(promoted.Metadata.OwnerReferences));
        Assert.False(ServiceCopyBuilder.Same(existing, promoted));
        Assert.True(ServiceCopyBuilder.Same(promoted, ServiceCopyBuilder.Build(Canary, Target("green"), "podinfo-primary", promoted)));
    }

    [Fact]
    public void The_revision_is_the_spec_without_allocations()
    {
        var allocated = Target();
        allocated.Spec.ClusterIP = "10.96.7.7";
        allocated.Spec.Ports[0].NodePort = 31000;

        Assert.Equal(ServiceCopyBuilder.Revision(Target()), ServiceCopyBuilder.Revision(allocated) with { Configs = ServiceCopyBuilder.Revision(Target()).Configs });
        Assert.Equal(ServiceCopyBuilder.Revision(Target()).Checksum, ServiceCopyBuilder.Revision(allocated).Checksum);
        Assert.NotEqual(ServiceCopyBuilder.Revision(Target()).Checksum, ServiceCopyBuilder.Revision(Target("green")).Checksum);
    }
}
