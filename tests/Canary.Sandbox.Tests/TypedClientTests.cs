using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Canary.Sandbox.Tests;

/// <summary>CRUD, selectors, paging, concurrency and subresources through KubernetesClient's typed API.</summary>
public sealed class TypedClientTests(SandboxFixture fx) : IClassFixture<SandboxFixture>
{
    private IKubernetes Client => fx.Client;

    private static V1ConfigMap ConfigMap(string name, Dictionary<string, string>? labels = null) =>
        new() { Metadata = new V1ObjectMeta { Name = name, Labels = labels }, Data = new Dictionary<string, string> { ["k"] = "v" } };

    private static V1Deployment Deployment(string name, int replicas = 1) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1DeploymentSpec
        {
            Replicas = replicas,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = name } },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "app", Image = "nginx" }] },
            },
        },
    };

    private static async Task<HttpStatusCode> StatusOf(Func<Task> call)
    {
        var e = await Assert.ThrowsAsync<HttpOperationException>(call);
        return e.Response.StatusCode;
    }

    [Fact]
    public async Task Create_sets_server_metadata_and_get_returns_it()
    {
        var ns = await fx.NewNamespaceAsync();
        var created = await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("web"), ns);

        Assert.False(string.IsNullOrEmpty(created.Metadata.Uid));
        Assert.NotNull(created.Metadata.CreationTimestamp);
        Assert.Equal(ns, created.Metadata.NamespaceProperty);
        Assert.True(long.Parse(created.Metadata.ResourceVersion) > 0);
        var read = await Client.CoreV1.ReadNamespacedConfigMapAsync("web", ns);
        Assert.Equal(created.Metadata.Uid, read.Metadata.Uid);
        Assert.Equal("v", read.Data["k"]);
    }

    [Fact]
    public async Task Resource_versions_increase_monotonically_across_kinds()
    {
        var ns = await fx.NewNamespaceAsync();
        var a = await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), ns);
        var d = await Client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("d"), ns);
        var b = await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("b"), ns);
        Assert.True(long.Parse(a.Metadata.ResourceVersion) < long.Parse(d.Metadata.ResourceVersion));
        Assert.True(long.Parse(d.Metadata.ResourceVersion) < long.Parse(b.Metadata.ResourceVersion));
    }

    [Fact]
    public async Task GenerateName_gets_a_random_suffix()
    {
        var ns = await fx.NewNamespaceAsync();
        var created = await Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { GenerateName = "gen-" } }, ns);
        Assert.StartsWith("gen-", created.Metadata.Name);
        Assert.Equal(9, created.Metadata.Name.Length);
    }

    [Fact]
    public async Task Errors_are_status_objects_with_code_and_reason()
    {
        var ns = await fx.NewNamespaceAsync();
        await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("dup"), ns);

        var e = await Assert.ThrowsAsync<HttpOperationException>(() => Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("dup"), ns));
        var status = KubernetesJson.Deserialize<V1Status>(e.Response.Content);
        Assert.Equal((HttpStatusCode)409, e.Response.StatusCode);
        Assert.Equal("AlreadyExists", status.Reason);
        Assert.Equal("configmaps \"dup\" already exists", status.Message);
        Assert.Equal("dup", status.Details.Name);

        e = await Assert.ThrowsAsync<HttpOperationException>(() => Client.CoreV1.ReadNamespacedConfigMapAsync("missing", ns));
        status = KubernetesJson.Deserialize<V1Status>(e.Response.Content);
        Assert.Equal(404, status.Code);
        Assert.Equal("NotFound", status.Reason);

        e = await Assert.ThrowsAsync<HttpOperationException>(() => Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("Bad_Name"), ns));
        Assert.Equal("Invalid", KubernetesJson.Deserialize<V1Status>(e.Response.Content).Reason);

        e = await Assert.ThrowsAsync<HttpOperationException>(() => Client.CoreV1.ListNamespacedConfigMapAsync(ns, fieldSelector: "data.k=v"));
        Assert.Equal("BadRequest", KubernetesJson.Deserialize<V1Status>(e.Response.Content).Reason);
    }

    [Fact]
    public async Task Namespaced_objects_need_an_existing_namespace()
    {
        Assert.Equal(HttpStatusCode.NotFound, await StatusOf(() => Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("x"), "no-such-namespace")));
        var defaultNs = await Client.CoreV1.ReadNamespaceAsync("default");
        Assert.Equal("Active", defaultNs.Status.Phase);
    }

    [Fact]
    public async Task Two_writers_with_the_same_resource_version_one_gets_409_Conflict()
    {
        var ns = await fx.NewNamespaceAsync();
        var original = await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("cc"), ns);
        var first = await Client.CoreV1.ReadNamespacedConfigMapAsync("cc", ns);
        var second = await Client.CoreV1.ReadNamespacedConfigMapAsync("cc", ns);
        first.Data["k"] = "first";
        second.Data["k"] = "second";

        var results = await Task.WhenAll(
            Attempt(() => Client.CoreV1.ReplaceNamespacedConfigMapAsync(first, "cc", ns)),
            Attempt(() => Client.CoreV1.ReplaceNamespacedConfigMapAsync(second, "cc", ns)));

        Assert.Single(results, r => r == HttpStatusCode.OK);
        Assert.Single(results, r => r == HttpStatusCode.Conflict);
        var final = await Client.CoreV1.ReadNamespacedConfigMapAsync("cc", ns);
        Assert.NotEqual(original.Metadata.ResourceVersion, final.Metadata.ResourceVersion);

        static async Task<HttpStatusCode> Attempt(Func<Task> call)
        {
            try
            {
                await call();
                return HttpStatusCode.OK;
            }
            catch (HttpOperationException e)
            {
                return e.Response.StatusCode;
            }
        }
    }

    [Fact]
    public async Task Update_without_resource_version_is_unconditional_and_no_op_keeps_version()
    {
        var ns = await fx.NewNamespaceAsync();
        var created = await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("u"), ns);
        var same = await Client.CoreV1.ReplaceNamespacedConfigMapAsync(created, "u", ns);
        Assert.Equal(created.Metadata.ResourceVersion, same.Metadata.ResourceVersion);

        var blind = ConfigMap("u");
        blind.Data["k"] = "changed";
        var updated = await Client.CoreV1.ReplaceNamespacedConfigMapAsync(blind, "u", ns);
        Assert.Equal("changed", updated.Data["k"]);
        Assert.Equal(created.Metadata.Uid, updated.Metadata.Uid);
        Assert.Equal(created.Metadata.CreationTimestamp, updated.Metadata.CreationTimestamp);
    }

    [Theory]
    [InlineData("app=web", new[] { "a" })]
    [InlineData("app!=web", new[] { "b", "c" })]
    [InlineData("app in (web,db)", new[] { "a", "b" })]
    [InlineData("app notin (web,db)", new[] { "c" })]
    [InlineData("tier", new[] { "a", "b" })]
    [InlineData("!tier", new[] { "c" })]
    [InlineData("app=web,tier=front", new[] { "a" })]
    public async Task List_filters_by_label_selector(string selector, string[] expected)
    {
        var ns = await fx.NewNamespaceAsync();
        await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a", new() { ["app"] = "web", ["tier"] = "front" }), ns);
        await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("b", new() { ["app"] = "db", ["tier"] = "back" }), ns);
        await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("c", new() { ["other"] = "x" }), ns);

        var list = await Client.CoreV1.ListNamespacedConfigMapAsync(ns, labelSelector: selector);
        Assert.Equal(expected, list.Items.Select(i => i.Metadata.Name).ToArray());
    }

    [Fact]
    public async Task List_filters_by_field_selector_across_namespaces()
    {
        var ns1 = await fx.NewNamespaceAsync();
        var ns2 = await fx.NewNamespaceAsync();
        await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("same"), ns1);
        await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("same"), ns2);
        await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("other"), ns2);

        var byName = await Client.CoreV1.ListConfigMapForAllNamespacesAsync(fieldSelector: "metadata.name=same");
        Assert.Equal(new[] { ns1, ns2 }.Order(), byName.Items.Select(i => i.Metadata.NamespaceProperty).Order());
        var byNamespace = await Client.CoreV1.ListConfigMapForAllNamespacesAsync(fieldSelector: $"metadata.namespace={ns2},metadata.name!=same");
        Assert.Equal("other", Assert.Single(byNamespace.Items).Metadata.Name);
    }

    [Fact]
    public async Task List_pages_with_limit_and_continue()
    {
        var ns = await fx.NewNamespaceAsync();
        for (var i = 0; i < 5; i++)
        {
            await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap($"p{i}"), ns);
        }

        var names = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await Client.CoreV1.ListNamespacedConfigMapAsync(ns, limit: 2, continueParameter: token);
            names.AddRange(page.Items.Select(i => i.Metadata.Name));
            token = page.Metadata.ContinueProperty;
            if (token is not null)
            {
                Assert.Equal(5 - names.Count, page.Metadata.RemainingItemCount);
            }

            pages++;
        }
        while (!string.IsNullOrEmpty(token));

        Assert.Equal(3, pages);
        Assert.Equal(["p0", "p1", "p2", "p3", "p4"], names);
    }

    [Fact]
    public async Task Status_writes_change_only_status_and_spec_writes_never_change_status()
    {
        var ns = await fx.NewNamespaceAsync();
        var created = await Client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("s"), ns);
        Assert.Equal(1, created.Metadata.Generation);

        created.Status = new V1DeploymentStatus { Replicas = 1, ReadyReplicas = 1, ObservedGeneration = 1 };
        created.Spec.Replicas = 5;
        var afterStatus = await Client.AppsV1.ReplaceNamespacedDeploymentStatusAsync(created, "s", ns);
        Assert.Equal(1, afterStatus.Status.ReadyReplicas);
        Assert.Equal(1, afterStatus.Spec.Replicas);
        Assert.Equal(1, afterStatus.Metadata.Generation);

        afterStatus.Spec.Replicas = 3;
        afterStatus.Status.ReadyReplicas = 99;
        var afterSpec = await Client.AppsV1.ReplaceNamespacedDeploymentAsync(afterStatus, "s", ns);
        Assert.Equal(3, afterSpec.Spec.Replicas);
        Assert.Equal(1, afterSpec.Status.ReadyReplicas);
        Assert.Equal(2, afterSpec.Metadata.Generation);

        afterSpec.Metadata.Labels = new Dictionary<string, string> { ["x"] = "y" };
        var afterMeta = await Client.AppsV1.ReplaceNamespacedDeploymentAsync(afterSpec, "s", ns);
        Assert.Equal(2, afterMeta.Metadata.Generation);

        var patched = await Client.AppsV1.PatchNamespacedDeploymentStatusAsync(new V1Patch("{\"status\":{\"availableReplicas\":1}}", V1Patch.PatchType.MergePatch), "s", ns);
        Assert.Equal(1, patched.Status.AvailableReplicas);
        Assert.Equal(2, patched.Metadata.Generation);
    }

    [Fact]
    public async Task Scale_subresource_reads_and_writes_spec_replicas()
    {
        var ns = await fx.NewNamespaceAsync();
        await Client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("sc", 2), ns);

        var scale = await Client.AppsV1.ReadNamespacedDeploymentScaleAsync("sc", ns);
        Assert.Equal(2, scale.Spec.Replicas);
        Assert.Equal("app=sc", scale.Status.Selector);

        scale.Spec.Replicas = 4;
        await Client.AppsV1.ReplaceNamespacedDeploymentScaleAsync(scale, "sc", ns);
        await Client.AppsV1.PatchNamespacedDeploymentScaleAsync(new V1Patch("{\"spec\":{\"replicas\":6}}", V1Patch.PatchType.MergePatch), "sc", ns);
        var deployment = await Client.AppsV1.ReadNamespacedDeploymentAsync("sc", ns);
        Assert.Equal(6, deployment.Spec.Replicas);
        Assert.Equal(3, deployment.Metadata.Generation);
    }

    [Fact]
    public async Task Patches_merge_json_and_strategic()
    {
        var ns = await fx.NewNamespaceAsync();
        var d = Deployment("p");
        d.Spec.Template.Spec.Containers.Add(new V1Container { Name = "side", Image = "busybox", Env = [new V1EnvVar { Name = "A", Value = "1" }] });
        await Client.AppsV1.CreateNamespacedDeploymentAsync(d, ns);

        var smp = "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"side\",\"env\":[{\"name\":\"B\",\"value\":\"2\"}]}]}}}}";
        var patched = await Client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(smp, V1Patch.PatchType.StrategicMergePatch), "p", ns);
        Assert.Equal(["app", "side"], patched.Spec.Template.Spec.Containers.Select(c => c.Name));
        Assert.Equal(["A", "B"], patched.Spec.Template.Spec.Containers[1].Env.Select(e => e.Name));

        var merge = "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"only\",\"image\":\"x\"}]}}}}";
        patched = await Client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(merge, V1Patch.PatchType.MergePatch), "p", ns);
        Assert.Equal("only", Assert.Single(patched.Spec.Template.Spec.Containers).Name);

        var json = "[{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":7},{\"op\":\"test\",\"path\":\"/metadata/name\",\"value\":\"p\"}]";
        patched = await Client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(json, V1Patch.PatchType.JsonPatch), "p", ns);
        Assert.Equal(7, patched.Spec.Replicas);

        var failing = "[{\"op\":\"test\",\"path\":\"/spec/replicas\",\"value\":1}]";
        Assert.Equal((HttpStatusCode)422, await StatusOf(() => Client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(failing, V1Patch.PatchType.JsonPatch), "p", ns)));

        var stale = $"{{\"metadata\":{{\"resourceVersion\":\"1\"}},\"spec\":{{\"replicas\":1}}}}";
        Assert.Equal(HttpStatusCode.Conflict, await StatusOf(() => Client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(stale, V1Patch.PatchType.MergePatch), "p", ns)));
    }

    [Fact]
    public async Task Dry_run_is_refused_rather_than_written()
    {
        var ns = await fx.NewNamespaceAsync();
        Assert.Equal(HttpStatusCode.BadRequest, await StatusOf(() => Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("dry"), ns, dryRun: "All")));
        Assert.Empty((await Client.CoreV1.ListNamespacedConfigMapAsync(ns)).Items);
    }

    [Fact]
    public async Task Services_get_defaults_and_a_cluster_ip()
    {
        var ns = await fx.NewNamespaceAsync();
        var svc = await Client.CoreV1.CreateNamespacedServiceAsync(
            new V1Service { Metadata = new V1ObjectMeta { Name = "svc" }, Spec = new V1ServiceSpec { Ports = [new V1ServicePort { Port = 80 }] } }, ns);
        Assert.Equal("ClusterIP", svc.Spec.Type);
        Assert.StartsWith("10.96.", svc.Spec.ClusterIP);
        Assert.Equal("TCP", svc.Spec.Ports[0].Protocol);
        Assert.Equal("80", svc.Spec.Ports[0].TargetPort.Value);
    }

    [Fact]
    public async Task Leases_and_hpas_round_trip()
    {
        var ns = await fx.NewNamespaceAsync();
        var lease = await Client.CoordinationV1.CreateNamespacedLeaseAsync(
            new V1Lease { Metadata = new V1ObjectMeta { Name = "leader" }, Spec = new V1LeaseSpec { HolderIdentity = "me", LeaseDurationSeconds = 15 } }, ns);
        lease.Spec.HolderIdentity = "you";
        var renewed = await Client.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, "leader", ns);
        Assert.Equal("you", renewed.Spec.HolderIdentity);

        var hpa = await Client.AutoscalingV2.CreateNamespacedHorizontalPodAutoscalerAsync(new V2HorizontalPodAutoscaler
        {
            Metadata = new V1ObjectMeta { Name = "h" },
            Spec = new V2HorizontalPodAutoscalerSpec { MaxReplicas = 5, ScaleTargetRef = new V2CrossVersionObjectReference { Kind = "Deployment", Name = "x", ApiVersion = "apps/v1" } },
        }, ns);
        Assert.Equal(1, hpa.Metadata.Generation);
    }
}
