using Canary.Api.V1Beta1;
using Canary.Providers.Naming;
using Canary.Providers.Services;
using Canary.Providers.Tests.Support;
using k8s.Models;

namespace Canary.Providers.Tests.Routing;

public sealed class ServiceMergeTests
{
    private static readonly ServiceTarget Target = new(new TargetSelector("app", "podinfo"));

    [Fact]
    public void User_owned_apex_is_taken_over_with_Flux_markers_added_beside_its_own_metadata_and_keeps_node_ports()
    {
        var canary = TestCanaries.Podinfo();
        var user = new V1Service
        {
            Metadata = new V1ObjectMeta { Name = "podinfo", NamespaceProperty = "test", Annotations = new Dictionary<string, string> { ["user"] = "kept" } },
            Spec = new V1ServiceSpec
            {
                Type = "NodePort",
                Selector = new Dictionary<string, string> { ["app"] = "podinfo" },
                Ports = [new V1ServicePort { Name = "http", Port = 9898, TargetPort = 9898, Protocol = "TCP", NodePort = 30080 }],
            },
        };

        var merged = KubernetesServiceRouter.Merge(canary, user, ServiceBuilder.Apex(canary, Target))!;

        Assert.Equal("podinfo-primary", merged.Spec.Selector["app"]);
        Assert.Equal(30080, merged.Spec.Ports[0].NodePort);
        Assert.Equal("NodePort", merged.Spec.Type);
        Assert.Equal("kept", merged.Metadata.Annotations["user"]);
        Assert.Equal("disabled", merged.Metadata.Annotations["kustomize.toolkit.fluxcd.io/reconcile"]);
        Assert.Equal("disabled", merged.Metadata.Annotations["helm.toolkit.fluxcd.io/driftDetection"]);
        Assert.Equal("kustomize.toolkit.fluxcd.io/reconcile,helm.toolkit.fluxcd.io/driftDetection", merged.Metadata.Annotations["canary.dev/gitops-markers-added"]);
        Assert.Null(merged.Metadata.OwnerReferences);
    }

    [Fact]
    public void A_taken_over_apex_already_marked_needs_no_write()
    {
        var canary = TestCanaries.Podinfo();
        var live = ServiceBuilder.Apex(canary, Target);
        live.Metadata.OwnerReferences = null; // the user's Service, already taken over and marked
        live.Metadata.Annotations = new Dictionary<string, string>
        {
            ["kustomize.toolkit.fluxcd.io/reconcile"] = "disabled",
            ["helm.toolkit.fluxcd.io/driftDetection"] = "disabled",
        };

        Assert.Null(KubernetesServiceRouter.Merge(canary, live, ServiceBuilder.Apex(canary, Target)));
    }

    [Fact]
    public void Owned_service_metadata_is_reconciled_but_unmanaged_keys_survive()
    {
        var canary = TestCanaries.Podinfo(c => c.Spec.Service!.UnmanagedMetadata = new UnmanagedMetadata { Annotations = ["linkerd.io/inject"] });
        var live = ServiceBuilder.Primary(canary, Target);
        live.Metadata.Annotations = new Dictionary<string, string> { ["linkerd.io/inject"] = "enabled", ["stale"] = "x" };

        var merged = KubernetesServiceRouter.Merge(canary, live, ServiceBuilder.Primary(canary, Target))!;

        Assert.Equal(
            new Dictionary<string, string>
            {
                ["linkerd.io/inject"] = "enabled",
                ["kustomize.toolkit.fluxcd.io/reconcile"] = "disabled",
                ["helm.toolkit.fluxcd.io/driftDetection"] = "disabled",
            },
            merged.Metadata.Annotations);
    }

    [Fact]
    public void Identical_service_needs_no_write()
    {
        var canary = TestCanaries.Podinfo();
        var live = ServiceBuilder.Canary(canary, Target);
        live.Spec.Ports[0].NodePort = 31000; // assigned by the server, not a difference
        Assert.Null(KubernetesServiceRouter.Merge(canary, live, ServiceBuilder.Canary(canary, Target)));
    }
}
