using System.Net;
using System.Text.Json.Nodes;
using Canary.Api.V1Beta1;
using Canary.E2E.Infrastructure;
using k8s;
using Xunit.Abstractions;

namespace Canary.E2E.Scenarios;

/// <summary>
/// A KEDA ScaledObject as autoscalerRef (Flagger's test/keda/test-scaledobject.sh): the primary gets its own
/// ScaledObject with the query and bounds for the primary, and the target's is paused at zero replicas whenever the
/// target is parked, resumed while a release runs.
/// </summary>
[Collection(LifecycleScenarios.Name)]
public sealed class ScaledObjectTests(GatewayApiEnvironment env, ITestOutputHelper output)
{
    private const string Provider = GatewayApiEnvironment.Provider;
    private const string Paused = "autoscaling.keda.sh/paused-replicas";

    [Fact]
    public async Task The_primary_gets_its_own_scaled_object_and_the_targets_is_paused_between_releases_through_promotion_and_rollback()
    {
        await using var s = await CanaryScenario.StartAsync(env, "keda", Provider, output);
        var hooks = env.Webhooks;
        hooks.Answer(s.Namespace, WebhookTypes.ConfirmPromotion, HttpStatusCode.Forbidden, "hold");
        await s.CreateAppAsync();
        await s.Client.CustomObjects.CreateNamespacedCustomObjectAsync(TargetScaledObject(s.Namespace), "keda.sh", "v1alpha1", s.Namespace, "scaledobjects");
        await s.CreateCanaryAsync(
            new CanaryAnalysis
            {
                Interval = "2s",
                Threshold = 2,
                StepWeight = 20,
                MaxWeight = 40,
                Metrics = [Podinfo.SuccessRate()],
                Webhooks = [Podinfo.Hook(hooks, s.Namespace, WebhookTypes.ConfirmPromotion)],
            },
            c => c.Spec.AutoscalerRef = new AutoscalerReference
            {
                ApiVersion = "keda.sh/v1alpha1",
                Kind = AutoscalerKinds.ScaledObject,
                Name = "podinfo-so",
                PrimaryScalerReplicas = new ScalerReplicas { MinReplicas = 3, MaxReplicas = 6 },
            });
        await s.WaitForPhaseAsync(CanaryPhase.Initialized);

        // The primary's ScaledObject: same triggers, scaling podinfo-primary, the query about the primary, the bounds given.
        var primary = ScaledObject(s, "podinfo-so-primary")!;
        Assert.Equal("podinfo-primary", primary["spec"]!["scaleTargetRef"]!["name"]!.GetValue<string>());
        Assert.Equal("""sum(rate(http_requests_total{deployment="podinfo-primary"}[1m]))""", Trigger(primary, "http")["metadata"]!["query"]!.GetValue<string>());
        Assert.Equal("50", Trigger(primary, "cpu")["metadata"]!["value"]!.GetValue<string>());
        Assert.Equal((3, 6), (primary["spec"]!["minReplicaCount"]!.GetValue<int>(), primary["spec"]!["maxReplicaCount"]!.GetValue<int>()));
        Assert.Equal("Canary", primary["metadata"]!["ownerReferences"]![0]!["kind"]!.GetValue<string>());
        Assert.Null(primary["metadata"]!["annotations"]?[Paused]);

        // Parked: the target at zero and its ScaledObject paused there, so KEDA does not scale it back up.
        Assert.Equal("0", PausedReplicas(s));
        Assert.Equal(0, (await s.DeploymentAsync("podinfo")).Spec.Replicas);

        // A release resumes it and scales the target to the ScaledObject's minimum.
        await s.EditTemplateAsync(image: Podinfo.NewImage);
        await s.WaitForPhaseAsync(CanaryPhase.WaitingPromotion);
        Assert.Null(PausedReplicas(s));
        Assert.Equal(2, (await s.DeploymentAsync("podinfo")).Spec.Replicas);

        // The user changes a trigger of their ScaledObject during the release: promotion carries it to the primary's.
        var target = await s.Client.CustomObjects.GetNamespacedCustomObjectAsync<JsonObject>("keda.sh", "v1alpha1", s.Namespace, "scaledobjects", "podinfo-so");
        Trigger(target, "cpu")["metadata"]!["value"] = "65";
        await s.Client.CustomObjects.ReplaceNamespacedCustomObjectAsync(target, "keda.sh", "v1alpha1", s.Namespace, "scaledobjects", "podinfo-so");

        // Promotion parks the target again.
        hooks.Answer(s.Namespace, WebhookTypes.ConfirmPromotion, HttpStatusCode.OK);
        await s.WaitForPhaseAsync(CanaryPhase.Succeeded);
        await s.WaitUntilAsync(() => PausedReplicas(s) == "0", "the target's ScaledObject paused after promotion");
        Assert.Equal(0, (await s.DeploymentAsync("podinfo")).Spec.Replicas);
        Assert.Equal("65", Trigger(ScaledObject(s, "podinfo-so-primary")!, "cpu")["metadata"]!["value"]!.GetValue<string>());

        // A bad release is rolled back, and the target is parked and paused again (promotion held, so it can only fail).
        hooks.Answer(s.Namespace, WebhookTypes.ConfirmPromotion, HttpStatusCode.Forbidden, "hold");
        await s.EditTemplateAsync(image: Podinfo.Image, annotations: Podinfo.ErrorRate(0.5));
        await s.WaitUntilAsync(() => PausedReplicas(s) is null, "the target's ScaledObject resumed for the release");
        await s.WaitForPhaseAsync(CanaryPhase.Failed);
        await s.WaitUntilAsync(() => PausedReplicas(s) == "0", "the target's ScaledObject paused after the rollback");
        Assert.Equal(Podinfo.NewImage, (await s.DeploymentAsync("podinfo-primary")).Spec.Template.Spec.Containers[0].Image);
    }

    private static JsonObject TargetScaledObject(string ns) => new()
    {
        ["apiVersion"] = "keda.sh/v1alpha1",
        ["kind"] = "ScaledObject",
        ["metadata"] = new JsonObject { ["name"] = "podinfo-so", ["namespace"] = ns },
        ["spec"] = new JsonObject
        {
            ["scaleTargetRef"] = new JsonObject { ["name"] = "podinfo" },
            ["minReplicaCount"] = 2,
            ["maxReplicaCount"] = 5,
            ["triggers"] = new JsonArray(
                new JsonObject
                {
                    ["type"] = "prometheus",
                    ["name"] = "http",
                    ["metadata"] = new JsonObject
                    {
                        ["serverAddress"] = "http://prometheus:9090",
                        ["query"] = """sum(rate(http_requests_total{deployment="podinfo"}[1m]))""",
                        ["threshold"] = "100",
                    },
                },
                new JsonObject { ["type"] = "cpu", ["name"] = "cpu", ["metricType"] = "Utilization", ["metadata"] = new JsonObject { ["value"] = "50" } }),
        },
    };

    private static JsonObject? ScaledObject(CanaryScenario s, string name) => s.Env.TryGet(Crds.ScaledObjects, s.Namespace, name);

    private static string? PausedReplicas(CanaryScenario s) =>
        ScaledObject(s, "podinfo-so")?["metadata"]?["annotations"]?[Paused]?.GetValue<string>();

    private static JsonObject Trigger(JsonObject scaledObject, string name) =>
        scaledObject["spec"]!["triggers"]!.AsArray().OfType<JsonObject>().Single(t => t["name"]!.GetValue<string>() == name);
}
