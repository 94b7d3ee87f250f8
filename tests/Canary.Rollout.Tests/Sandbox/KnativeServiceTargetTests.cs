using System.Text.Json.Nodes;
using Canary.Api.V1Beta1;
using Canary.Kubernetes.Errors;
using Canary.MetricTemplates.Templates;
using Canary.Providers.Builders;
using Canary.Providers.Routing;
using Canary.Rollout.StateMachine;
using Canary.Rollout.Targets;
using Canary.Rollout.Targets.Knative;
using Microsoft.Extensions.Time.Testing;
using k8s;
using k8s.Models;

namespace Canary.Rollout.Tests.Sandbox;

/// <summary>
/// The Knative Service target against the emulated API server, as the controller's ServiceAccount; the Knative Service
/// and its Revisions are written here as Knative Serving would report them.
/// </summary>
public sealed class KnativeServiceTargetTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    // The API server stamps each revision's creationTimestamp with the real time: the fake clock starts there.
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);

    private KnativeServiceTarget Target() => new(sandbox.Controller, _clock, maxConflictRetries: 3);

    [Fact]
    public async Task Initialization_makes_the_latest_revision_primary_and_promotion_moves_it_to_the_next_one()
    {
        var ns = await SetUpAsync();
        var canary = Canary(ns);
        var target = Target();

        var snapshot = await target.ObserveAsync(canary, default);
        Assert.Null(snapshot.Primary);
        Assert.Equal(ReadinessState.Waiting, snapshot.PrimaryReadiness.State);
        Assert.True(snapshot.CanaryReadiness.IsReady);
        Assert.Equal("podinfo-00001", snapshot.Revision.SpecHash);

        await target.InitializeAsync(canary, snapshot, default);
        var initialized = await target.ObserveAsync(canary, default);
        Assert.True(initialized.PrimaryReadiness.IsReady);
        Assert.Equal("podinfo-00001", initialized.Primary!.Metadata.Name);
        Assert.Equal(new MetricRoutes("podinfo-00001", "podinfo-00001"), initialized.MetricRoutes);
        Assert.Equal(new RouteState(100, 0, false), KnativeTrafficBuilder.ReadRoutes(await ServiceAsync(ns)));

        // A new template: Knative makes revision 00002; it is the canary, 00001 stays primary until promotion.
        await CreateRevisionAsync(ns, "podinfo-00002", ready: "True");
        await SetLatestAsync(ns, "podinfo-00002");
        var next = await target.ObserveAsync(canary, default);
        Assert.Equal("podinfo-00002", next.Revision.SpecHash);
        Assert.Equal(new MetricRoutes("podinfo-00002", "podinfo-00001"), next.MetricRoutes);

        await target.PromoteAsync(canary, default);
        var promoted = await ServiceAsync(ns);
        Assert.Equal("podinfo-00002", KnativeTrafficBuilder.PrimaryRevision(promoted));
        Assert.Equal("ghcr.io/stefanprodan/podinfo:6.0.1", (string?)promoted["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]);
        Assert.True((await target.RevertAsync(canary, default)).IsReady);
    }

    [Fact]
    public async Task A_failed_revision_fails_at_once_and_an_unknown_one_only_after_the_progress_deadline()
    {
        var ns = await SetUpAsync();
        var canary = Canary(ns);
        var target = Target();
        await target.InitializeAsync(canary, await target.ObserveAsync(canary, default), default);

        await CreateRevisionAsync(ns, "podinfo-00002", ready: "Unknown");
        await SetLatestAsync(ns, "podinfo-00002");
        var waiting = await target.ObserveAsync(canary, default);
        Assert.Equal(ReadinessState.Waiting, waiting.CanaryReadiness.State);
        Assert.Contains("waiting for revision podinfo-00002: Deploying: pods are starting", waiting.CanaryReadiness.Message, StringComparison.Ordinal);

        _clock.Advance(TimeSpan.FromSeconds(120));
        var late = await target.ObserveAsync(canary, default);
        Assert.Equal(ReadinessState.DeadlineExceeded, late.CanaryReadiness.State);
        Assert.Contains("revision podinfo-00002 not ready after 60s (progressDeadlineSeconds)", late.CanaryReadiness.Message, StringComparison.Ordinal);

        await CreateRevisionAsync(ns, "podinfo-00003", ready: "False");
        await SetLatestAsync(ns, "podinfo-00003");
        var failed = await target.ObserveAsync(canary, default);
        Assert.Equal(ReadinessState.DeadlineExceeded, failed.CanaryReadiness.State);
        Assert.Contains("revision podinfo-00003 failed", failed.CanaryReadiness.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_service_is_a_target_error_naming_it()
    {
        var ns = await sandbox.NewNamespaceAsync();
        await EnsureCrdsAsync();

        var error = await Assert.ThrowsAsync<TargetException>(() => Target().ObserveAsync(Canary(ns), default));

        Assert.Equal($"Knative Service podinfo.{ns} not found", error.Message);
    }

    private static CanaryResource Canary(string ns) => new()
    {
        Metadata = new V1ObjectMeta { Name = "podinfo", NamespaceProperty = ns },
        Spec = new CanarySpec
        {
            Provider = TrafficProviders.Knative,
            ProgressDeadlineSeconds = 60,
            TargetRef = new TargetReference { ApiVersion = "serving.knative.dev/v1", Kind = TargetKinds.Service, Name = "podinfo" },
            Service = new CanaryService { Port = 80 },
            Analysis = new CanaryAnalysis { Interval = "10s", Threshold = 2, StepWeight = 20, MaxWeight = 40 },
        },
    };

    private async Task<string> SetUpAsync()
    {
        await EnsureCrdsAsync();
        var ns = await sandbox.NewNamespaceAsync();
        await CreateRevisionAsync(ns, "podinfo-00001", ready: "True");
        await sandbox.Client.CustomObjects.CreateNamespacedCustomObjectAsync(
            JsonNode.Parse("""
                {
                  "apiVersion": "serving.knative.dev/v1",
                  "kind": "Service",
                  "metadata": { "name": "podinfo" },
                  "spec": { "template": { "spec": { "containers": [ { "image": "ghcr.io/stefanprodan/podinfo:6.0.1" } ] } } },
                  "status": { "latestCreatedRevisionName": "podinfo-00001", "latestReadyRevisionName": "podinfo-00001" }
                }
                """)!.AsObject(),
            "serving.knative.dev", "v1", ns, "services");
        return ns;
    }

    private async Task SetLatestAsync(string ns, string revision)
    {
        var patch = new JsonObject { ["status"] = new JsonObject { ["latestCreatedRevisionName"] = revision } };
        await sandbox.Client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), "serving.knative.dev", "v1", ns, "services", "podinfo");
    }

    private async Task CreateRevisionAsync(string ns, string name, string ready)
    {
        var condition = new JsonObject { ["type"] = "Ready", ["status"] = ready };
        if (ready != "True")
        {
            (condition["reason"], condition["message"]) = ready == "False" ? ("ContainerMissing", "image not found") : ("Deploying", "pods are starting");
        }

        var revision = new JsonObject
        {
            ["apiVersion"] = "serving.knative.dev/v1",
            ["kind"] = "Revision",
            ["metadata"] = new JsonObject { ["name"] = name },
            ["status"] = new JsonObject { ["conditions"] = new JsonArray(condition) },
        };
        await sandbox.Client.CustomObjects.CreateNamespacedCustomObjectAsync(revision, "serving.knative.dev", "v1", ns, "revisions");
    }

    private async Task<JsonObject> ServiceAsync(string ns) =>
        await sandbox.Client.CustomObjects.GetNamespacedCustomObjectAsync<JsonObject>("serving.knative.dev", "v1", ns, "services", "podinfo");

    private async Task EnsureCrdsAsync()
    {
        foreach (var (plural, kind) in new[] { ("services", "Service"), ("revisions", "Revision") })
        {
            var crd = new JsonObject
            {
                ["apiVersion"] = "apiextensions.k8s.io/v1",
                ["kind"] = "CustomResourceDefinition",
                ["metadata"] = new JsonObject { ["name"] = $"{plural}.serving.knative.dev" },
                ["spec"] = new JsonObject
                {
                    ["group"] = "serving.knative.dev",
                    ["scope"] = "Namespaced",
                    ["names"] = new JsonObject { ["plural"] = plural, ["singular"] = kind.ToLowerInvariant(), ["kind"] = kind, ["listKind"] = kind + "List" },
                    ["versions"] = new JsonArray(new JsonObject
                    {
                        ["name"] = "v1",
                        ["served"] = true,
                        ["storage"] = true,
                        ["schema"] = new JsonObject { ["openAPIV3Schema"] = new JsonObject { ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true } },
                    }),
                },
            };
            try
            {
                await sandbox.Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(KubernetesJson.Deserialize<V1CustomResourceDefinition>(crd.ToJsonString()));
            }
            catch (Exception e) when (KubeErrors.IsAlreadyExists(e))
            {
                // Another test of this class registered them.
            }
        }
    }
}
