using System.Net;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Models;
using ClientEventType = k8s.WatchEventType;

namespace Canary.Sandbox.Tests;

/// <summary>Field selectors per kind through KubernetesClient: events' involvedObject.* (list and watch), pods, secrets, namespaces, and the 400 for others.</summary>
public sealed class FieldSelectorTests(SandboxFixture fx) : IClassFixture<SandboxFixture>
{
    private IKubernetes Client => fx.Client;

    private static Corev1Event Event(string name, string kind, string objectName, string ns, string reason = "Synced", string type = "Normal", string? uid = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        InvolvedObject = new V1ObjectReference { Kind = kind, Name = objectName, NamespaceProperty = ns, Uid = uid, ApiVersion = kind == "Deployment" ? "apps/v1" : "flagger.app/v1beta1" },
        Reason = reason,
        Message = $"{reason} {objectName}",
        Type = type,
        Source = new V1EventSource { Component = "canary" },
        FirstTimestamp = DateTime.UtcNow,
        LastTimestamp = DateTime.UtcNow,
        Count = 1,
    };

    private async Task<string> NamespaceWithEventsAsync()
    {
        var ns = await fx.NewNamespaceAsync("ev");
        await Client.CoreV1.CreateNamespacedEventAsync(Event("d1", "Deployment", "web", ns, uid: "uid-web"), ns);
        await Client.CoreV1.CreateNamespacedEventAsync(Event("d2", "Deployment", "api", ns, reason: "ScalingReplicaSet"), ns);
        await Client.CoreV1.CreateNamespacedEventAsync(Event("c1", "Canary", "web", ns, type: "Warning"), ns);
        return ns;
    }

    private async Task<string[]> EventNamesAsync(string ns, string selector) =>
        [.. (await Client.CoreV1.ListNamespacedEventAsync(ns, fieldSelector: selector)).Items.Select(e => e.Metadata.Name).Order()];

    private static async Task<V1Status> BadRequestAsync(Func<Task> call)
    {
        var e = await Assert.ThrowsAsync<HttpOperationException>(call);
        Assert.Equal(HttpStatusCode.BadRequest, e.Response.StatusCode);
        return KubernetesJson.Deserialize<V1Status>(e.Response.Content);
    }

    [Fact]
    public async Task Event_list_selects_on_involved_object_reason_type_and_source()
    {
        var ns = await NamespaceWithEventsAsync();

        Assert.Equal(["d1", "d2"], await EventNamesAsync(ns, "involvedObject.kind=Deployment"));
        Assert.Equal(["c1"], await EventNamesAsync(ns, "involvedObject.kind!=Deployment"));
        Assert.Equal(["c1", "d1"], await EventNamesAsync(ns, "involvedObject.name==web"));
        Assert.Equal(["d2"], await EventNamesAsync(ns, "reason=ScalingReplicaSet"));
        Assert.Equal(["c1"], await EventNamesAsync(ns, "type=Warning,source=canary"));
        Assert.Empty(await EventNamesAsync(ns, "involvedObject.kind=ReplicaSet"));

        // What kubectl describe sends: name, namespace, kind and uid together.
        Assert.Equal(["d1"], await EventNamesAsync(ns, $"involvedObject.kind=Deployment,involvedObject.name=web,involvedObject.namespace={ns},involvedObject.uid=uid-web"));
        Assert.Empty(await EventNamesAsync(ns, $"involvedObject.kind=Deployment,involvedObject.name=web,involvedObject.namespace={ns},involvedObject.uid=other"));

        var everywhere = await Client.CoreV1.ListEventForAllNamespacesAsync(fieldSelector: $"involvedObject.namespace={ns},involvedObject.kind=Canary");
        Assert.Equal("c1", Assert.Single(everywhere.Items).Metadata.Name);
    }

    [Fact]
    public async Task Event_watch_delivers_only_matching_events_and_drops_ones_that_stop_matching()
    {
        var ns = await NamespaceWithEventsAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var seen = new List<(ClientEventType Type, string Name)>();
        var watch = Client.CoreV1.WatchListNamespacedEventAsync(ns, fieldSelector: "involvedObject.kind=Deployment,reason!=Killing", onError: e => throw e, cancellationToken: cts.Token);
        await using var e = watch.GetAsyncEnumerator(cts.Token);
        async Task NextAsync()
        {
            Assert.True(await e.MoveNextAsync());
            seen.Add((e.Current.Item1, e.Current.Item2.Metadata.Name));
        }

        await NextAsync();
        await NextAsync();
        await Client.CoreV1.CreateNamespacedEventAsync(Event("c2", "Canary", "web", ns), ns);
        await Client.CoreV1.CreateNamespacedEventAsync(Event("d3", "Deployment", "web", ns), ns);
        await NextAsync();

        // A change that takes an event out of the selection reaches the watcher as a deletion.
        await Client.CoreV1.PatchNamespacedEventAsync(new V1Patch("{\"reason\":\"Killing\"}", V1Patch.PatchType.MergePatch), "d1", ns);
        await NextAsync();

        Assert.Equal(
            [(ClientEventType.Added, "d1"), (ClientEventType.Added, "d2"), (ClientEventType.Added, "d3"), (ClientEventType.Deleted, "d1")],
            seen);
    }

    [Fact]
    public async Task Unsupported_field_labels_are_a_400_with_the_real_servers_message_for_list_and_watch()
    {
        var ns = await fx.NewNamespaceAsync();

        var status = await BadRequestAsync(() => Client.CoreV1.ListNamespacedEventAsync(ns, fieldSelector: "involvedObject.color=blue"));
        Assert.Equal("BadRequest", status.Reason);
        Assert.Equal("field label not supported: involvedObject.color", status.Message);

        status = await BadRequestAsync(async () =>
        {
            await foreach (var _ in Client.CoreV1.WatchListNamespacedEventAsync(ns, fieldSelector: "message=hello", onError: ex => throw ex))
            {
            }
        });
        Assert.Equal("field label not supported: message", status.Message);

        // Each kind has its own labels: an event field on config maps, a pod field on events, regarding.* on core events.
        status = await BadRequestAsync(() => Client.CoreV1.ListNamespacedConfigMapAsync(ns, fieldSelector: "involvedObject.kind=Deployment"));
        Assert.Equal("field label not supported: involvedObject.kind", status.Message);
        status = await BadRequestAsync(() => Client.CoreV1.ListNamespacedEventAsync(ns, fieldSelector: "spec.nodeName=node-1"));
        Assert.Equal("field label not supported: spec.nodeName", status.Message);
        status = await BadRequestAsync(() => Client.CoreV1.ListNamespacedEventAsync(ns, fieldSelector: "regarding.kind=Deployment"));
        Assert.Equal("field label not supported: regarding.kind", status.Message);
        status = await BadRequestAsync(() => Client.CoreV1.ListNamespaceAsync(fieldSelector: "metadata.namespace=default"));
        Assert.Equal("field label not supported: metadata.namespace", status.Message);
        status = await BadRequestAsync(() => Client.CoreV1.ListNamespacedEventAsync(ns, fieldSelector: "reason"));
        Assert.Contains("can't understand 'reason'", status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Events_k8s_io_selects_on_regarding_and_reporting_controller()
    {
        var ns = await fx.NewNamespaceAsync();
        foreach (var (name, kind) in new[] { ("a", "Deployment"), ("b", "Canary") })
        {
            await Client.EventsV1.CreateNamespacedEventAsync(
                new Eventsv1Event
                {
                    Metadata = new V1ObjectMeta { Name = name },
                    EventTime = DateTime.UtcNow,
                    Regarding = new V1ObjectReference { Kind = kind, Name = "web", NamespaceProperty = ns },
                    Reason = "Synced",
                    Type = "Normal",
                    Action = "Sync",
                    ReportingController = kind == "Canary" ? "canary" : "deployment-controller",
                    ReportingInstance = "sandbox",
                },
                ns);
        }

        Assert.Equal("a", Assert.Single((await Client.EventsV1.ListNamespacedEventAsync(ns, fieldSelector: "regarding.kind=Deployment")).Items).Metadata.Name);
        Assert.Equal("b", Assert.Single((await Client.EventsV1.ListNamespacedEventAsync(ns, fieldSelector: "reportingController=canary,regarding.name=web")).Items).Metadata.Name);
        var status = await BadRequestAsync(() => Client.EventsV1.ListNamespacedEventAsync(ns, fieldSelector: "involvedObject.kind=Deployment"));
        Assert.Equal("field label not supported: involvedObject.kind", status.Message);
    }

    [Fact]
    public async Task Pods_secrets_and_namespaces_select_on_their_own_fields()
    {
        var ns = await fx.NewNamespaceAsync();
        foreach (var (name, node) in new[] { ("p1", "node-1"), ("p2", "node-2") })
        {
            await Client.CoreV1.CreateNamespacedPodAsync(
                new V1Pod
                {
                    Metadata = new V1ObjectMeta { Name = name },
                    Spec = new V1PodSpec { NodeName = node, Containers = [new V1Container { Name = "app", Image = "nginx" }] },
                },
                ns);
        }

        Assert.Equal("p1", Assert.Single((await Client.CoreV1.ListNamespacedPodAsync(ns, fieldSelector: "spec.nodeName=node-1")).Items).Metadata.Name);
        Assert.Equal(2, (await Client.CoreV1.ListNamespacedPodAsync(ns, fieldSelector: "status.phase=Pending,spec.hostNetwork=false")).Items.Count);
        Assert.Empty((await Client.CoreV1.ListNamespacedPodAsync(ns, fieldSelector: "status.phase=Running")).Items);
        Assert.Equal(2, (await Client.CoreV1.ListNamespacedPodAsync(ns, fieldSelector: "status.podIP=")).Items.Count);

        await Client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "tls" }, Type = "kubernetes.io/tls" }, ns);
        await Client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "plain" }, Type = "Opaque" }, ns);
        Assert.Equal("tls", Assert.Single((await Client.CoreV1.ListNamespacedSecretAsync(ns, fieldSelector: "type=kubernetes.io/tls")).Items).Metadata.Name);

        var active = await Client.CoreV1.ListNamespaceAsync(fieldSelector: $"status.phase=Active,metadata.name={ns}");
        Assert.Equal(ns, Assert.Single(active.Items).Metadata.Name);
    }

    [Fact]
    public async Task Custom_resources_select_only_on_metadata_name_and_namespace()
    {
        var group = $"fs{Guid.NewGuid().ToString("N")[..6]}.example.com";
        await Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(new V1CustomResourceDefinition
        {
            Metadata = new V1ObjectMeta { Name = $"widgets.{group}" },
            Spec = new V1CustomResourceDefinitionSpec
            {
                Group = group,
                Scope = "Namespaced",
                Names = new V1CustomResourceDefinitionNames { Plural = "widgets", Singular = "widget", Kind = "Widget" },
                Versions =
                [
                    new V1CustomResourceDefinitionVersion
                    {
                        Name = "v1", Served = true, Storage = true,
                        Schema = new V1CustomResourceValidation { OpenAPIV3Schema = new V1JSONSchemaProps { Type = "object", XKubernetesPreserveUnknownFields = true } },
                    },
                ],
            },
        });
        var ns = await fx.NewNamespaceAsync();
        foreach (var name in new[] { "w1", "w2" })
        {
            await Client.CustomObjects.CreateNamespacedCustomObjectAsync(
                new Dictionary<string, object> { ["apiVersion"] = $"{group}/v1", ["kind"] = "Widget", ["metadata"] = new Dictionary<string, object> { ["name"] = name }, ["spec"] = new Dictionary<string, object> { ["size"] = "large" } },
                group, "v1", ns, "widgets");
        }

        var list = (JsonElement)await Client.CustomObjects.ListNamespacedCustomObjectAsync(group, "v1", ns, "widgets", fieldSelector: "metadata.name!=w1");
        Assert.Equal(["w2"], list.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("metadata").GetProperty("name").GetString()));

        var status = await BadRequestAsync(() => Client.CustomObjects.ListNamespacedCustomObjectAsync(group, "v1", ns, "widgets", fieldSelector: "spec.size=large"));
        Assert.Equal("field label not supported: spec.size", status.Message);
    }
}
