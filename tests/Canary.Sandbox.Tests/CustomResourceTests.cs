using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Canary.Sandbox.Tests;

/// <summary>CRDs served at once: generic client CRUD, discovery, status/scale subresources, cluster scope, watch, 415 for SMP.</summary>
public sealed class CustomResourceTests(SandboxFixture fx) : IClassFixture<SandboxFixture>
{
    private IKubernetes Client => fx.Client;

    private static V1CustomResourceDefinition Crd(string group, string plural, string kind, string scope = "Namespaced") => new()
    {
        Metadata = new V1ObjectMeta { Name = $"{plural}.{group}" },
        Spec = new V1CustomResourceDefinitionSpec
        {
            Group = group,
            Scope = scope,
            Names = new V1CustomResourceDefinitionNames { Plural = plural, Singular = kind.ToLowerInvariant(), Kind = kind, ShortNames = [plural[..3]] },
            Versions =
            [
                new V1CustomResourceDefinitionVersion
                {
                    Name = "v1beta1",
                    Served = true,
                    Storage = true,
                    Schema = new V1CustomResourceValidation { OpenAPIV3Schema = new V1JSONSchemaProps { Type = "object", XKubernetesPreserveUnknownFields = true } },
                    Subresources = new V1CustomResourceSubresources
                    {
                        Status = new object(),
                        Scale = new V1CustomResourceSubresourceScale { SpecReplicasPath = ".spec.replicas", StatusReplicasPath = ".status.replicas" },
                    },
                },
            ],
        },
    };

    [Fact]
    public async Task Creating_a_crd_serves_its_resource_at_once_and_shows_it_in_discovery()
    {
        var crd = await Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(Crd("one.example.com", "gadgets", "Gadget"));
        Assert.Contains(crd.Status.Conditions, c => c.Type == "Established" && c.Status == "True");

        var groups = await Client.Apis.GetAPIVersionsAsync();
        Assert.Contains(groups.Groups, g => g.Name == "one.example.com" && g.PreferredVersion.Version == "v1beta1");
        var resources = await Client.CustomObjects.GetAPIResourcesAsync("one.example.com", "v1beta1");
        Assert.Contains(resources.Resources, r => r.Name == "gadgets" && r.Namespaced && r.Kind == "Gadget");
        Assert.Contains(resources.Resources, r => r.Name == "gadgets/status");
        Assert.Contains(resources.Resources, r => r.Name == "gadgets/scale" && r.Kind == "Scale");

        var ns = await fx.NewNamespaceAsync();
        using var generic = new GenericClient(Client, "one.example.com", "v1beta1", "gadgets", disposeClient: false);
        var created = await generic.CreateNamespacedAsync(Gadget("g1", 2), ns);
        Assert.Equal(1, created.Metadata.Generation);
        var read = await generic.ReadNamespacedAsync<Gadget>(ns, "g1");
        Assert.Equal(2, read.Spec!["replicas"]!.GetValue<int>());
        var list = await generic.ListNamespacedAsync<CustomResourceList<Gadget>>(ns);
        Assert.Equal("g1", Assert.Single(list.Items).Metadata.Name);
        await generic.DeleteNamespacedAsync<Gadget>(ns, "g1");
        await Assert.ThrowsAsync<HttpOperationException>(() => generic.ReadNamespacedAsync<Gadget>(ns, "g1"));
    }

    [Fact]
    public async Task Custom_resource_status_and_scale_subresources_follow_the_crd()
    {
        await Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(Crd("two.example.com", "gizmos", "Gizmo"));
        var ns = await fx.NewNamespaceAsync();
        var body = Gadget("z", 1);
        body.ApiVersion = "two.example.com/v1beta1";
        body.Kind = "Gizmo";
        body.Status = new JsonObject { ["phase"] = "ignored-on-create" };
        var created = await Client.CustomObjects.CreateNamespacedCustomObjectAsync<Gadget>(body, "two.example.com", "v1beta1", ns, "gizmos");
        Assert.Null(created.Status);

        var statusPatch = new V1Patch("{\"status\":{\"phase\":\"Ready\",\"replicas\":1},\"spec\":{\"replicas\":9}}", V1Patch.PatchType.MergePatch);
        var afterStatus = await Client.CustomObjects.PatchNamespacedCustomObjectStatusAsync<Gadget>(statusPatch, "two.example.com", "v1beta1", ns, "gizmos", "z");
        Assert.Equal("Ready", afterStatus.Status!["phase"]!.GetValue<string>());
        Assert.Equal(1, afterStatus.Spec!["replicas"]!.GetValue<int>());
        Assert.Equal(1, afterStatus.Metadata.Generation);

        var specPatch = new V1Patch("{\"status\":{\"phase\":\"Hacked\"},\"spec\":{\"replicas\":3}}", V1Patch.PatchType.MergePatch);
        var afterSpec = await Client.CustomObjects.PatchNamespacedCustomObjectAsync<Gadget>(specPatch, "two.example.com", "v1beta1", ns, "gizmos", "z");
        Assert.Equal("Ready", afterSpec.Status!["phase"]!.GetValue<string>());
        Assert.Equal(2, afterSpec.Metadata.Generation);

        var scale = await Client.CustomObjects.GetNamespacedCustomObjectScaleAsync<V1Scale>("two.example.com", "v1beta1", ns, "gizmos", "z");
        Assert.Equal(3, scale.Spec.Replicas);
        Assert.Equal(1, scale.Status.Replicas);

        var smp = new V1Patch("{\"spec\":{\"replicas\":4}}", V1Patch.PatchType.StrategicMergePatch);
        var e = await Assert.ThrowsAsync<HttpOperationException>(() => Client.CustomObjects.PatchNamespacedCustomObjectAsync<Gadget>(smp, "two.example.com", "v1beta1", ns, "gizmos", "z"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, e.Response.StatusCode);
    }

    [Fact]
    public async Task Cluster_scoped_crds_and_crd_deletion()
    {
        await Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(Crd("three.example.com", "globals", "Global", "Cluster"));
        using var generic = new GenericClient(Client, "three.example.com", "v1beta1", "globals", disposeClient: false);
        var g = Gadget("cluster-wide", 1);
        g.ApiVersion = "three.example.com/v1beta1";
        g.Kind = "Global";
        var created = await generic.CreateAsync(g);
        Assert.Null(created.Metadata.NamespaceProperty);
        Assert.Single((await generic.ListAsync<CustomResourceList<Gadget>>()).Items);

        await Client.ApiextensionsV1.DeleteCustomResourceDefinitionAsync("globals.three.example.com");
        var e = await Assert.ThrowsAsync<HttpOperationException>(() => generic.ListAsync<CustomResourceList<Gadget>>());
        Assert.Equal(HttpStatusCode.NotFound, e.Response.StatusCode);
    }

    [Fact]
    public async Task Custom_resources_can_be_watched_with_resource_version()
    {
        await Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(Crd("four.example.com", "watchables", "Watchable"));
        var ns = await fx.NewNamespaceAsync();
        var list = await Client.CustomObjects.ListNamespacedCustomObjectAsync<CustomResourceList<Gadget>>("four.example.com", "v1beta1", ns, "watchables");
        var g = Gadget("w", 1);
        g.ApiVersion = "four.example.com/v1beta1";
        g.Kind = "Watchable";
        await Client.CustomObjects.CreateNamespacedCustomObjectAsync(g, "four.example.com", "v1beta1", ns, "watchables");

#pragma warning disable CS0618 // typed CRD watch with resourceVersion has no non-obsolete equivalent
        var watch = Client.CustomObjects.ListNamespacedCustomObjectWithHttpMessagesAsync<CustomResourceList<Gadget>>(
                "four.example.com", "v1beta1", ns, "watchables", resourceVersion: list.Metadata.ResourceVersion, watch: true)
            .WatchAsync<Gadget, CustomResourceList<Gadget>>(onError: e => throw e);
#pragma warning restore CS0618
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await foreach (var (type, obj) in watch.WithCancellation(cts.Token))
        {
            Assert.Equal(WatchEventType.Added, type);
            Assert.Equal("w", obj.Metadata.Name);
            break;
        }
    }

    private static Gadget Gadget(string name, int replicas) => new()
    {
        ApiVersion = "one.example.com/v1beta1",
        Kind = "Gadget",
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new JsonObject { ["replicas"] = replicas },
    };
}

/// <summary>A schemaless custom resource for tests.</summary>
public sealed class Gadget : IKubernetesObject<V1ObjectMeta>
{
    public string ApiVersion { get; set; } = string.Empty;

    public string Kind { get; set; } = string.Empty;

    public V1ObjectMeta Metadata { get; set; } = new();

    public JsonObject? Spec { get; set; }

    public JsonObject? Status { get; set; }
}

/// <summary>A list of custom resources.</summary>
public sealed class CustomResourceList<T> : IKubernetesObject<V1ListMeta>, IItems<T>
{
    public string ApiVersion { get; set; } = string.Empty;

    public string Kind { get; set; } = string.Empty;

    public V1ListMeta Metadata { get; set; } = new();

    public IList<T> Items { get; set; } = [];
}
