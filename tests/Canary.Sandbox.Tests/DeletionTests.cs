using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Canary.Sandbox.Tests;

/// <summary>Finalizers, propagation policies, ownerReference garbage collection and namespace deletion.</summary>
public sealed class DeletionTests(SandboxFixture fx) : IClassFixture<SandboxFixture>
{
    private IKubernetes Client => fx.Client;

    private static V1ConfigMap ConfigMap(string name, IList<string>? finalizers = null, V1ObjectMeta? owner = null, string ownerKind = "ConfigMap") => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            Finalizers = finalizers,
            OwnerReferences = owner is null ? null : [new V1OwnerReference { ApiVersion = "v1", Kind = ownerKind, Name = owner.Name, Uid = owner.Uid }],
        },
    };

    private async Task<bool> Exists(string name, string ns)
    {
        try
        {
            await Client.CoreV1.ReadNamespacedConfigMapAsync(name, ns);
            return true;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    [Fact]
    public async Task A_finalizer_holds_deletion_until_it_is_removed()
    {
        var ns = await fx.NewNamespaceAsync();
        await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("held", ["example.com/hold"]), ns);

        await Client.CoreV1.DeleteNamespacedConfigMapAsync("held", ns);
        var held = await Client.CoreV1.ReadNamespacedConfigMapAsync("held", ns);
        Assert.NotNull(held.Metadata.DeletionTimestamp);

        held.Metadata.Finalizers.Add("example.com/new");
        var e = await Assert.ThrowsAsync<HttpOperationException>(() => Client.CoreV1.ReplaceNamespacedConfigMapAsync(held, "held", ns));
        Assert.Equal((HttpStatusCode)422, e.Response.StatusCode);

        await Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("{\"metadata\":{\"finalizers\":null}}", V1Patch.PatchType.MergePatch), "held", ns);
        Assert.False(await Exists("held", ns));
    }

    [Fact]
    public async Task Deleting_an_owner_removes_its_dependents_recursively()
    {
        var ns = await fx.NewNamespaceAsync();
        var owner = await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("owner"), ns);
        var child = await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("child", owner: owner.Metadata), ns);
        await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("grandchild", owner: child.Metadata), ns);
        await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("unrelated"), ns);

        await Client.CoreV1.DeleteNamespacedConfigMapAsync("owner", ns, propagationPolicy: "Background");

        Assert.False(await Exists("owner", ns));
        Assert.False(await Exists("child", ns));
        Assert.False(await Exists("grandchild", ns));
        Assert.True(await Exists("unrelated", ns));
    }

    [Fact]
    public async Task Deployment_owner_collects_replicasets_across_kinds()
    {
        var ns = await fx.NewNamespaceAsync();
        var d = await Client.AppsV1.CreateNamespacedDeploymentAsync(new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = "d" },
            Spec = new V1DeploymentSpec
            {
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["a"] = "b" } },
                Template = new V1PodTemplateSpec { Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["a"] = "b" } }, Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "i" }] } },
            },
        }, ns);
        await Client.AppsV1.CreateNamespacedReplicaSetAsync(new V1ReplicaSet
        {
            Metadata = new V1ObjectMeta { Name = "d-1", OwnerReferences = [new V1OwnerReference { ApiVersion = "apps/v1", Kind = "Deployment", Name = "d", Uid = d.Metadata.Uid, Controller = true }] },
            Spec = new V1ReplicaSetSpec { Selector = d.Spec.Selector, Template = d.Spec.Template },
        }, ns);

        await Client.AppsV1.DeleteNamespacedDeploymentAsync("d", ns);
        Assert.Empty((await Client.AppsV1.ListNamespacedReplicaSetAsync(ns)).Items);
    }

    [Fact]
    public async Task A_dependent_with_a_finalizer_stays_until_released_and_orphan_keeps_dependents()
    {
        var ns = await fx.NewNamespaceAsync();
        var owner = await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("o1"), ns);
        await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("held-child", ["example.com/hold"], owner.Metadata), ns);
        await Client.CoreV1.DeleteNamespacedConfigMapAsync("o1", ns);
        Assert.NotNull((await Client.CoreV1.ReadNamespacedConfigMapAsync("held-child", ns)).Metadata.DeletionTimestamp);

        var owner2 = await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("o2"), ns);
        await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("orphan", owner: owner2.Metadata), ns);
        await Client.CoreV1.DeleteNamespacedConfigMapAsync("o2", ns, propagationPolicy: "Orphan");
        var orphan = await Client.CoreV1.ReadNamespacedConfigMapAsync("orphan", ns);
        Assert.Null(orphan.Metadata.OwnerReferences);
    }

    [Fact]
    public async Task Foreground_deletion_keeps_the_owner_until_dependents_are_gone()
    {
        var ns = await fx.NewNamespaceAsync();
        var owner = await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("fg"), ns);
        await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("fg-child", ["example.com/hold"], owner.Metadata), ns);

        await Client.CoreV1.DeleteNamespacedConfigMapAsync("fg", ns, propagationPolicy: "Foreground");
        var waiting = await Client.CoreV1.ReadNamespacedConfigMapAsync("fg", ns);
        Assert.Contains("foregroundDeletion", waiting.Metadata.Finalizers);

        await Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("{\"metadata\":{\"finalizers\":null}}", V1Patch.PatchType.MergePatch), "fg-child", ns);
        Assert.False(await Exists("fg-child", ns));
        Assert.False(await Exists("fg", ns));
    }

    [Fact]
    public async Task Deleting_a_namespace_deletes_its_content_then_the_namespace()
    {
        var ns = await fx.NewNamespaceAsync();
        await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), ns);
        await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("b", ["example.com/hold"]), ns);

        await Client.CoreV1.DeleteNamespaceAsync(ns);
        var terminating = await Client.CoreV1.ReadNamespaceAsync(ns);
        Assert.Equal("Terminating", terminating.Status.Phase);
        Assert.False(await Exists("a", ns));
        var e = await Assert.ThrowsAsync<HttpOperationException>(() => Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("c"), ns));
        Assert.Equal(HttpStatusCode.Forbidden, e.Response.StatusCode);

        await Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("{\"metadata\":{\"finalizers\":null}}", V1Patch.PatchType.MergePatch), "b", ns);
        e = await Assert.ThrowsAsync<HttpOperationException>(() => Client.CoreV1.ReadNamespaceAsync(ns));
        Assert.Equal(HttpStatusCode.NotFound, e.Response.StatusCode);
    }

    [Fact]
    public async Task Delete_preconditions_and_delete_collection()
    {
        var ns = await fx.NewNamespaceAsync();
        await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("pre"), ns);
        var e = await Assert.ThrowsAsync<HttpOperationException>(() =>
            Client.CoreV1.DeleteNamespacedConfigMapAsync("pre", ns, new V1DeleteOptions { Preconditions = new V1Preconditions { ResourceVersion = "1" } }));
        Assert.Equal(HttpStatusCode.Conflict, e.Response.StatusCode);

        await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("other"), ns);
        await Client.CoreV1.DeleteCollectionNamespacedConfigMapAsync(ns);
        Assert.Empty((await Client.CoreV1.ListNamespacedConfigMapAsync(ns)).Items);
    }
}
