using System.Text.Json.Nodes;
using Canary.Sandbox.ApiServer;
using Canary.Sandbox.ApiServer.Resources;
using Canary.Sandbox.ApiServer.Store;
using Canary.Sandbox.Workloads;
using k8s;
using Microsoft.Extensions.Time.Testing;
using static Canary.Sandbox.Tests.Workloads.KnativeManifests;

namespace Canary.Sandbox.Tests.Workloads;

/// <summary>
/// Simulated Knative Serving on a FakeTimeProvider: a Revision per template with its Deployment, pods and private
/// Service, Revision and Knative Service status, spec.traffic resolved into status.traffic. Pods become ready only when
/// a test moves the clock, so every intermediate state holds while the test looks at it.
/// </summary>
public sealed class KnativeServingTests
{
    private static readonly TimeSpan ReadyDelay = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task Knative_service_gets_revision_00001_with_its_deployment_pods_private_service_and_ready_status()
    {
        await using var k = await KnativeCluster.StartAsync();
        var annotations = new Dictionary<string, string> { ["autoscaling.knative.dev/min-scale"] = "2", [SandboxAnnotations.ErrorRate] = "0.05" };
        k.Store.Create(Services, k.Namespace, Service(k.Namespace, "hello", "ghcr.io/example/hello:1", annotations));

        // No pod is ready until the clock moves: the revision is deploying and there is nothing to route to yet.
        var deploying = await k.ServiceAsync("hello", s => Str(s, "status.latestCreatedRevisionName") == "hello-00001", "revision 00001 created");
        Assert.Null(Str(deploying, "status.latestReadyRevisionName"));
        Assert.Equal("Unknown", State(deploying, "ConfigurationsReady").Status);
        Assert.Equal(("Unknown", "RevisionMissing"), State(deploying, "RoutesReady"));
        Assert.Equal("Unknown", State(deploying, "Ready").Status);
        Assert.Null(deploying["status"]!["traffic"]);

        var revision = k.Store.Get(Revisions, k.Namespace, "hello-00001");
        var owner = Assert.Single(revision["metadata"]!["ownerReferences"]!.AsArray())!;
        Assert.Equal((Str(deploying, "metadata.uid"), "Service", $"{Group}/v1", true), (Str(owner.AsObject(), "uid"), Str(owner.AsObject(), "kind"), Str(owner.AsObject(), "apiVersion"), (bool?)owner["controller"]));
        Assert.Equal(("hello", "hello", "1", "hello"), (Label(revision, "serving.knative.dev/service"), Label(revision, "serving.knative.dev/configuration"), Label(revision, "serving.knative.dev/configurationGeneration"), Label(revision, "app")));
        Assert.Equal("0.05", (string?)revision["metadata"]!["annotations"]![SandboxAnnotations.ErrorRate]);
        Assert.Equal("ghcr.io/example/hello:1", (string?)revision["spec"]!["containers"]![0]!["image"]);

        await k.MakeReadyAsync("hello-00001", pods: 2);
        var ready = await k.ServiceAsync("hello", s => State(s, "Ready").Status == "True", "hello ready");

        Assert.Equal(1, Long(ready["status"]!["observedGeneration"]));
        Assert.Equal(("hello-00001", "hello-00001"), (Str(ready, "status.latestCreatedRevisionName"), Str(ready, "status.latestReadyRevisionName")));
        Assert.Equal($"http://hello.{k.Namespace}.example.com", Str(ready, "status.url"));
        Assert.Equal($"http://hello.{k.Namespace}.svc.cluster.local", Str(ready, "status.address.url"));
        Assert.Equal(new[] { "hello-00001 latest 100" }, StatusTraffic(ready));
        Assert.All(new[] { "ConfigurationsReady", "RoutesReady", "Ready" }, type => Assert.Equal(("True", null), State(ready, type)));

        revision = k.Store.Get(Revisions, k.Namespace, "hello-00001");
        Assert.All(new[] { "ResourcesAvailable", "ContainerHealthy", "Ready" }, type => Assert.Equal(("True", null), State(revision, type)));
        Assert.Equal((1, 2), (Long(revision["status"]!["observedGeneration"]), Long(revision["status"]!["actualReplicas"])));

        var d = await k.Client.AppsV1.ReadNamespacedDeploymentAsync("hello-00001-deployment", k.Namespace);
        Assert.Equal(2, d.Spec.Replicas);
        Assert.Equal(new Dictionary<string, string> { ["serving.knative.dev/revision"] = "hello-00001" }, d.Spec.Selector.MatchLabels);
        Assert.Equal((Str(revision, "metadata.uid"), "Revision"), (Assert.Single(d.Metadata.OwnerReferences).Uid, d.Metadata.OwnerReferences[0].Kind));
        var labels = d.Spec.Template.Metadata.Labels;
        Assert.Equal(("hello-00001", "hello", "hello", "hello"), (labels["serving.knative.dev/revision"], labels["serving.knative.dev/service"], labels["serving.knative.dev/configuration"], labels["app"]));
        Assert.Equal("0.05", d.Spec.Template.Metadata.Annotations[SandboxAnnotations.ErrorRate]);
        Assert.DoesNotContain(d.Spec.Template.Metadata.Annotations.Keys, key => key.Contains("template-hash", StringComparison.Ordinal));
        var container = Assert.Single(d.Spec.Template.Spec.Containers);
        Assert.Equal(("user-container", "ghcr.io/example/hello:1"), (container.Name, container.Image));

        var pods = (await k.Client.CoreV1.ListNamespacedPodAsync(k.Namespace, labelSelector: "serving.knative.dev/revision=hello-00001")).Items;
        Assert.Equal(2, pods.Count);
        Assert.All(pods, p => Assert.True(Manifests.IsReady(p)));
        Assert.All(pods, p => Assert.Equal("0.05", p.Metadata.Annotations[SandboxAnnotations.ErrorRate]));

        var service = await k.Client.CoreV1.ReadNamespacedServiceAsync("hello-00001-private", k.Namespace);
        Assert.Equal(new Dictionary<string, string> { ["serving.knative.dev/revision"] = "hello-00001" }, service.Spec.Selector);
        var port = Assert.Single(service.Spec.Ports);
        Assert.Equal((80, "9898"), (port.Port, port.TargetPort.Value));
        Assert.Equal(Str(revision, "metadata.uid"), Assert.Single(service.Metadata.OwnerReferences).Uid);
    }

    [Fact]
    public async Task Template_change_creates_revision_00002_and_latest_ready_moves_only_once_it_is_ready()
    {
        await using var k = await KnativeCluster.StartAsync();
        await k.CreateReadyAsync("hello");

        SetTemplate(k.Store, k.Namespace, "hello", "ghcr.io/example/hello:2");
        var rolling = await k.ServiceAsync("hello", s => Str(s, "status.latestCreatedRevisionName") == "hello-00002", "revision 00002 created");

        // The new revision is not ready: the latest ready one, and so the latestRevision target, stay on 00001.
        Assert.Equal(2, Long(rolling["status"]!["observedGeneration"]));
        Assert.Equal("hello-00001", Str(rolling, "status.latestReadyRevisionName"));
        Assert.Equal("Unknown", State(rolling, "ConfigurationsReady").Status);
        Assert.Equal("Unknown", State(rolling, "Ready").Status);
        Assert.Equal(("True", null), State(rolling, "RoutesReady"));
        Assert.Equal(new[] { "hello-00001 latest 100" }, StatusTraffic(rolling));
        var second = k.Store.Get(Revisions, k.Namespace, "hello-00002");
        Assert.Equal(("2", "ghcr.io/example/hello:2"), (Label(second, "serving.knative.dev/configurationGeneration"), (string?)second["spec"]!["containers"]![0]!["image"]));

        await k.MakeReadyAsync("hello-00002");
        var moved = await k.ServiceAsync("hello", s => Str(s, "status.latestReadyRevisionName") == "hello-00002" && State(s, "Ready").Status == "True", "00002 ready");

        Assert.Equal(new[] { "hello-00002 latest 100" }, StatusTraffic(moved));

        // No autoscaler scales the old revision down: both keep their Deployment.
        Assert.Equal(2, (await k.Client.AppsV1.ListNamespacedDeploymentAsync(k.Namespace)).Items.Count);
    }

    [Fact]
    public async Task Split_between_a_named_revision_and_the_latest_one_is_resolved_in_status_traffic()
    {
        await using var k = await KnativeCluster.StartAsync();
        await k.CreateReadyAsync("hello");

        // As the knative router initialises: everything on the primary revision, the latest one at 0.
        SetTraffic(k.Store, k.Namespace, "hello", Latest(0), Named("hello-00001", 100));
        var initial = await k.ServiceAsync("hello", s => StatusTraffic(s).Count == 2, "initial split");
        Assert.Equal(new[] { "hello-00001 latest 0", "hello-00001 named 100" }, StatusTraffic(initial));

        SetTemplate(k.Store, k.Namespace, "hello", "ghcr.io/example/hello:2");
        await k.MakeReadyAsync("hello-00002");
        var canary = await k.ServiceAsync("hello", s => Str(s, "status.latestReadyRevisionName") == "hello-00002", "00002 ready");
        Assert.Equal(new[] { "hello-00002 latest 0", "hello-00001 named 100" }, StatusTraffic(canary));

        SetTraffic(k.Store, k.Namespace, "hello", Latest(10), Named("hello-00001", 90));
        var split = await k.ServiceAsync("hello", s => StatusTraffic(s) is ["hello-00002 latest 10", ..], "10/90 split");

        Assert.Equal(new[] { "hello-00002 latest 10", "hello-00001 named 90" }, StatusTraffic(split));
        Assert.Equal(("True", null), State(split, "RoutesReady"));
        Assert.Equal(("True", null), State(split, "Ready"));
        Assert.Equal(Long(split["metadata"]!["generation"]), Long(split["status"]!["observedGeneration"]));

        // spec.traffic is not part of the template: no new revision.
        Assert.Equal(2, k.Store.List(Revisions, k.Namespace).Items.Count);
    }

    [Fact]
    public async Task Never_ready_revision_leaves_latest_ready_and_traffic_on_the_previous_one()
    {
        await using var k = await KnativeCluster.StartAsync();
        await k.CreateReadyAsync("hello");

        SetTemplate(k.Store, k.Namespace, "hello", "ghcr.io/example/hello:2", new() { [SandboxAnnotations.NeverReady] = "true", ["serving.knative.dev/progress-deadline"] = "30s" });
        await k.MakeReadyAsync("hello-00002");
        var unready = await k.RevisionAsync("hello-00002", r => State(r, "ContainerHealthy").Reason == "ContainersNotReady", "00002 pods running, not ready");

        Assert.Equal("Unknown", State(unready, "ContainerHealthy").Status);
        Assert.Contains(SandboxAnnotations.NeverReady, (string?)Condition(unready, "ContainerHealthy")!["message"], StringComparison.Ordinal);
        Assert.Equal("Unknown", State(unready, "Ready").Status);
        var waiting = k.Service("hello");
        Assert.Equal(("hello-00002", "hello-00001"), (Str(waiting, "status.latestCreatedRevisionName"), Str(waiting, "status.latestReadyRevisionName")));
        Assert.Equal("Unknown", State(waiting, "ConfigurationsReady").Status);
        Assert.Equal(new[] { "hello-00001 latest 100" }, StatusTraffic(waiting));

        // Past the progress deadline Knative gives up on the revision; the service keeps serving the previous one.
        k.Time.Advance(TimeSpan.FromSeconds(31));
        var failed = await k.ServiceAsync("hello", s => State(s, "ConfigurationsReady").Status == "False", "configuration failed");

        Assert.Equal(("False", "RevisionFailed"), State(failed, "Ready"));
        Assert.Equal(("True", null), State(failed, "RoutesReady"));
        Assert.Equal("hello-00001", Str(failed, "status.latestReadyRevisionName"));
        Assert.Equal(new[] { "hello-00001 latest 100" }, StatusTraffic(failed));
        var revision = k.Store.Get(Revisions, k.Namespace, "hello-00002");
        Assert.Equal(("False", "ProgressDeadlineExceeded"), State(revision, "ResourcesAvailable"));
        Assert.Equal(("False", "ProgressDeadlineExceeded"), State(revision, "Ready"));

        // Naming the failed revision in spec.traffic cannot be programmed either: the route keeps its targets.
        SetTraffic(k.Store, k.Namespace, "hello", Latest(50), Named("hello-00002", 50));
        var refused = await k.ServiceAsync("hello", s => State(s, "RoutesReady").Status == "False", "route refused");
        Assert.Equal("RevisionMissing", State(refused, "RoutesReady").Reason);
        Assert.Equal("Revision \"hello-00002\" failed to become ready.", (string?)Condition(refused, "RoutesReady")!["message"]);
        Assert.Equal(new[] { "hello-00001 latest 100" }, StatusTraffic(refused));
    }

    [Fact]
    public async Task Invalid_traffic_or_an_unknown_revision_keeps_the_previous_traffic_with_RoutesReady_False()
    {
        await using var k = await KnativeCluster.StartAsync();
        await k.CreateReadyAsync("hello");

        SetTraffic(k.Store, k.Namespace, "hello", Latest(90));
        var invalid = await k.ServiceAsync("hello", s => State(s, "RoutesReady").Status == "False", "invalid traffic reported");

        Assert.Equal(("False", "TrafficTargetInvalid"), State(invalid, "RoutesReady"));
        Assert.StartsWith("Traffic targets sum to 90, want 100: spec.traffic", (string?)Condition(invalid, "RoutesReady")!["message"], StringComparison.Ordinal);
        Assert.Equal(("False", "TrafficTargetInvalid"), State(invalid, "Ready"));
        Assert.Equal(("True", null), State(invalid, "ConfigurationsReady"));
        Assert.Equal(new[] { "hello-00001 latest 100" }, StatusTraffic(invalid));

        SetTraffic(k.Store, k.Namespace, "hello", Named("hello-00009", 100));
        var missing = await k.ServiceAsync("hello", s => State(s, "RoutesReady").Reason == "RevisionMissing", "missing revision reported");
        Assert.Equal("False", State(missing, "RoutesReady").Status);
        Assert.Equal("Revision \"hello-00009\" referenced in traffic not found.", (string?)Condition(missing, "RoutesReady")!["message"]);
        Assert.Equal(new[] { "hello-00001 latest 100" }, StatusTraffic(missing));

        SetTraffic(k.Store, k.Namespace, "hello", Named("hello-00001", 100));
        var valid = await k.ServiceAsync("hello", s => State(s, "RoutesReady").Status == "True", "valid traffic");
        Assert.Equal(new[] { "hello-00001 named 100" }, StatusTraffic(valid));
        Assert.Equal(("True", null), State(valid, "Ready"));
    }

    [Fact]
    public async Task Deleting_a_knative_service_removes_its_revisions_deployments_private_services_and_pods()
    {
        await using var k = await KnativeCluster.StartAsync();
        await k.CreateReadyAsync("hello");

        k.Store.Delete(Services, k.Namespace, "hello");

        await Eventually.ReachAsync(
            () => Task.FromResult((
                k.Store.List(Revisions, k.Namespace).Items.Count,
                k.Store.List(BuiltInResources.Deployments, k.Namespace).Items.Count,
                k.Store.List(BuiltInResources.Services, k.Namespace).Items.Count,
                k.Store.List(BuiltInResources.Pods, k.Namespace).Items.Count)),
            counts => counts == (0, 0, 0, 0),
            "revisions, deployments, private services and pods collected");
    }

    /// <summary>A cluster on a fake clock serving the Knative CRDs, a client and a fresh namespace.</summary>
    private sealed class KnativeCluster(SandboxCluster cluster, IKubernetes client, FakeTimeProvider time, string ns) : IAsyncDisposable
    {
        public ObjectStore Store => cluster.Store;

        public IKubernetes Client => client;

        public FakeTimeProvider Time => time;

        public string Namespace => ns;

        public static async Task<KnativeCluster> StartAsync()
        {
            var time = new FakeTimeProvider(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
            var cluster = await SandboxCluster.StartAsync(new SandboxClusterOptions { TimeProvider = time, Workloads = new WorkloadSimulatorOptions { ReadyDelay = ReadyDelay } });
            InstallCrds(cluster.Store);
            var client = cluster.CreateClient();
            return new KnativeCluster(cluster, client, time, await ClusterFixture.NewNamespaceAsync(client));
        }

        public JsonObject Service(string name) => Store.Get(Services, ns, name);

        public Task<JsonObject> ServiceAsync(string name, Func<JsonObject, bool> done, string what) =>
            Eventually.ReachAsync(() => Task.FromResult(Service(name)), done, what);

        public async Task<JsonObject> RevisionAsync(string name, Func<JsonObject, bool> done, string what) =>
            (await Eventually.ReachAsync(() => Task.FromResult(TryGet(Revisions, name)), r => r is not null && done(r), what))!;

        /// <summary>Waits for the revision's pods to start, then moves the clock past their ready delay.</summary>
        public async Task MakeReadyAsync(string revision, int pods = 1)
        {
            await Eventually.ReachAsync(
                () => client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: $"serving.knative.dev/revision={revision}"),
                l => l.Items.Count == pods && l.Items.All(p => p.Status?.PodIP is not null),
                $"{pods} pod(s) of {revision} started");
            time.Advance(ReadyDelay);
        }

        /// <summary>Knative Service <paramref name="name"/> with its first revision ready and all traffic on it.</summary>
        public async Task<JsonObject> CreateReadyAsync(string name)
        {
            Store.Create(Services, ns, KnativeManifests.Service(ns, name, $"ghcr.io/example/{name}:1"));
            await MakeReadyAsync($"{name}-00001");
            return await ServiceAsync(name, s => State(s, "Ready").Status == "True", $"{name} ready");
        }

        public async ValueTask DisposeAsync()
        {
            client.Dispose();
            await cluster.DisposeAsync();
        }

        private JsonObject? TryGet(GroupVersionResource gvr, string name)
        {
            try
            {
                return Store.Get(gvr, ns, name);
            }
            catch (ApiException e) when (e.Code == 404)
            {
                return null;
            }
        }
    }
}
