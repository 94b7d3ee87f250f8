using System.Net;
using System.Text.Json.Nodes;
using Canary.Api.V1Beta1;
using Canary.E2E.Infrastructure;
using Canary.Sandbox.ApiServer.Resources;
using k8s;
using k8s.Models;
using Xunit.Abstractions;

namespace Canary.E2E.Scenarios;

/// <summary>Manual gates, config tracking and deletion of a Canary on Gateway API.</summary>
[Collection(LifecycleScenarios.Name)]
public sealed class LifecycleTests(GatewayApiEnvironment env, ITestOutputHelper output)
{
    private const string Provider = GatewayApiEnvironment.Provider;

    [Fact]
    public async Task Confirm_rollout_403_holds_Waiting_and_confirm_promotion_403_holds_WaitingPromotion_until_200()
    {
        await using var s = await CanaryScenario.StartAsync(env, "gates", Provider, output);
        var hooks = env.Webhooks;
        hooks.Answer(s.Namespace, WebhookTypes.ConfirmRollout, HttpStatusCode.Forbidden, "rollout not approved");
        hooks.Answer(s.Namespace, WebhookTypes.ConfirmPromotion, HttpStatusCode.Forbidden, "promotion not approved");
        await s.CreateAppAsync();
        await s.CreateCanaryAsync(new CanaryAnalysis
        {
            Interval = "1s",
            Threshold = 10,
            StepWeight = 25,
            MaxWeight = 50,
            Metrics = [Podinfo.SuccessRate()],
            Webhooks =
            [
                Podinfo.Hook(hooks, s.Namespace, WebhookTypes.ConfirmRollout),
                Podinfo.Hook(hooks, s.Namespace, WebhookTypes.ConfirmPromotion),
            ],
        });
        await s.WaitForPhaseAsync(CanaryPhase.Initialized);
        await s.EditTemplateAsync(image: Podinfo.NewImage);

        // Held: the gate is asked again and again, and nothing moves.
        await s.WaitForPhaseAsync(CanaryPhase.Waiting);
        var asked = hooks.Calls(s.Namespace, WebhookTypes.ConfirmRollout).Count;
        await s.WaitUntilAsync(() => hooks.Calls(s.Namespace, WebhookTypes.ConfirmRollout).Count >= asked + 3, "confirm-rollout asked three more times");
        Assert.Equal(CanaryPhase.Waiting, s.Canary()!.Status!.Phase);
        Assert.DoesNotContain(CanaryPhase.Progressing, s.Observer.Phases);
        Assert.Equal(0, (await s.DeploymentAsync("podinfo")).Spec.Replicas);
        Assert.All(s.Observer.RouteWeights, w => Assert.Equal(0, w));
        Assert.All(hooks.Calls(s.Namespace, WebhookTypes.ConfirmRollout), c => Assert.Contains(c.Payload.Phase, new[] { "Initialized", "Waiting" }));
        Assert.Contains($"Halt podinfo.{s.Namespace} advancement waiting for approval confirm-rollout", await s.EventMessagesAsync());

        hooks.Answer(s.Namespace, WebhookTypes.ConfirmRollout, HttpStatusCode.OK);
        await s.WaitForPhaseAsync(CanaryPhase.WaitingPromotion);
        asked = hooks.Calls(s.Namespace, WebhookTypes.ConfirmPromotion).Count;
        await s.WaitUntilAsync(() => hooks.Calls(s.Namespace, WebhookTypes.ConfirmPromotion).Count >= asked + 3, "confirm-promotion asked three more times");
        Assert.Equal(CanaryPhase.WaitingPromotion, s.Canary()!.Status!.Phase);
        Assert.DoesNotContain(CanaryPhase.Promoting, s.Observer.Phases);
        Assert.Equal(Podinfo.Image, (await s.DeploymentAsync("podinfo-primary")).Spec.Template.Spec.Containers[0].Image);
        Assert.All(hooks.Calls(s.Namespace, WebhookTypes.ConfirmPromotion), c => Assert.Equal("Progressing", c.Payload.Phase));

        hooks.Answer(s.Namespace, WebhookTypes.ConfirmPromotion, HttpStatusCode.OK);
        await s.WaitForPhaseAsync(CanaryPhase.Succeeded);
        Assert.Equal(Podinfo.NewImage, (await s.DeploymentAsync("podinfo-primary")).Spec.Template.Spec.Containers[0].Image);
        Assert.Equal(
            [CanaryPhase.Initializing, CanaryPhase.Initialized, CanaryPhase.Waiting, CanaryPhase.Progressing, CanaryPhase.WaitingPromotion, CanaryPhase.Promoting, CanaryPhase.Finalising, CanaryPhase.Succeeded],
            s.Observer.Phases.Where(p => p != CanaryPhase.None));
        Assert.Equal([0, 25, 50], s.Observer.StatusWeights(CanaryPhase.Progressing));
    }

    [Fact]
    public async Task Rollback_webhook_answering_200_rolls_back_a_healthy_canary()
    {
        await using var s = await CanaryScenario.StartAsync(env, "manual-rollback", Provider, output);
        var hooks = env.Webhooks;
        hooks.Answer(s.Namespace, WebhookTypes.Rollback, HttpStatusCode.NotFound);
        await s.CreateAppAsync();
        await s.CreateCanaryAsync(new CanaryAnalysis
        {
            Interval = "2s",
            Threshold = 5,
            StepWeight = 10,
            MaxWeight = 50,
            Metrics = [Podinfo.SuccessRate()],
            Webhooks = [Podinfo.Hook(hooks, s.Namespace, WebhookTypes.Rollback)],
        });
        await s.WaitForPhaseAsync(CanaryPhase.Initialized);
        await s.EditTemplateAsync(image: Podinfo.NewImage);
        await s.WaitUntilAsync(c => c?.Status is { Phase: CanaryPhase.Progressing, CanaryWeight: >= 10 }, "Progressing with traffic on the canary");

        hooks.Answer(s.Namespace, WebhookTypes.Rollback, HttpStatusCode.OK);
        var failed = await s.WaitForPhaseAsync(CanaryPhase.Failed);

        Assert.Equal(0, failed.Status!.CanaryWeight ?? 0);
        Assert.Equal(0, s.Observer.RouteWeights[^1]);
        Assert.True(s.Observer.StatusWeights().Max() < 50, s.Observer.Describe());
        Assert.Equal(Podinfo.Image, (await s.DeploymentAsync("podinfo-primary")).Spec.Template.Spec.Containers[0].Image);
        Assert.Contains(await s.EventsAsync(), e => e.Type == "Warning" && e.Message == $"Rolling back podinfo.{s.Namespace} manual webhook invoked");
    }

    [Fact]
    public async Task A_new_revision_during_the_analysis_routes_back_to_the_primary_and_restarts_from_zero()
    {
        await using var s = await CanaryScenario.StartAsync(env, "restart-analysis", Provider, output);
        await s.CreateAppAsync();
        await s.CreateCanaryAsync(new CanaryAnalysis
        {
            Interval = "2s",
            Threshold = 5,
            StepWeight = 20,
            MaxWeight = 40,
            Metrics = [Podinfo.SuccessRate()],
        });
        await s.WaitForPhaseAsync(CanaryPhase.Initialized);
        await s.EditTemplateAsync(image: Podinfo.NewImage);
        await s.WaitUntilAsync(c => c?.Status is { Phase: CanaryPhase.Progressing, CanaryWeight: 20 }, "first analysis at weight 20");

        const string newest = "ghcr.io/stefanprodan/podinfo:6.0.2";
        await s.EditTemplateAsync(image: newest);
        await s.WaitForPhaseAsync(CanaryPhase.Succeeded);

        Assert.Equal([0, 20, 0, 20, 40], s.Observer.StatusWeights(CanaryPhase.Progressing));
        Assert.Equal([0, 20, 0, 20, 40, 0], s.Observer.RouteWeights);
        Assert.Equal(newest, (await s.DeploymentAsync("podinfo-primary")).Spec.Template.Spec.Containers[0].Image);
        Assert.Contains($"New revision detected! Restarting analysis for podinfo.{s.Namespace}", await s.EventMessagesAsync());
    }

    [Fact]
    public async Task A_ConfigMap_change_alone_triggers_a_new_analysis_and_is_promoted_to_the_primary_copy()
    {
        await using var s = await CanaryScenario.StartAsync(env, "config", Provider, output);
        await s.CreateAppAsync(withConfig: true);
        await s.CreateCanaryAsync(new CanaryAnalysis
        {
            Interval = "2s",
            Threshold = 5,
            StepWeight = 50,
            MaxWeight = 50,
            Metrics = [Podinfo.SuccessRate()],
        });
        await s.WaitForPhaseAsync(CanaryPhase.Initialized);
        Assert.Equal("blue", (await s.Client.CoreV1.ReadNamespacedConfigMapAsync($"{Podinfo.ConfigName}-primary", s.Namespace)).Data["PODINFO_UI_COLOR"]);
        var template = (await s.DeploymentAsync("podinfo")).Spec.Template;

        await s.SetConfigAsync("green");
        await s.WaitForPhaseAsync(CanaryPhase.Succeeded);

        Assert.Contains(CanaryPhase.Progressing, s.Observer.Phases);
        Assert.Equal([0, 50], s.Observer.StatusWeights(CanaryPhase.Progressing));
        Assert.Contains($"New revision detected! Scaling up podinfo.{s.Namespace}", await s.EventMessagesAsync());
        Assert.Equal("green", (await s.Client.CoreV1.ReadNamespacedConfigMapAsync($"{Podinfo.ConfigName}-primary", s.Namespace)).Data["PODINFO_UI_COLOR"]);
        var after = await s.DeploymentAsync("podinfo");
        Assert.Equal(template.Spec.Containers[0].Image, after.Spec.Template.Spec.Containers[0].Image);
        Assert.Equal(template.Metadata.Annotations?.Count ?? 0, after.Spec.Template.Metadata.Annotations?.Count ?? 0);
        Assert.Equal(
            $"{Podinfo.ConfigName}-primary",
            (await s.DeploymentAsync("podinfo-primary")).Spec.Template.Spec.Containers[0].EnvFrom[0].ConfigMapRef.Name);
    }

    [Fact]
    public async Task Deleting_the_Canary_gives_the_users_Deployment_and_apex_Service_back_and_leaves_nothing_it_owned()
    {
        await using var s = await CanaryScenario.StartAsync(env, "delete", Provider, output);

        // The user's own apex Service, reached by clients through its selector.
        await s.Client.CoreV1.CreateNamespacedServiceAsync(
            new V1Service
            {
                Metadata = new V1ObjectMeta { Name = "podinfo", NamespaceProperty = s.Namespace },
                Spec = new V1ServiceSpec
                {
                    Selector = new Dictionary<string, string> { ["app"] = "podinfo" },
                    Ports = [new V1ServicePort { Name = "http", Port = Podinfo.Port, TargetPort = 9898 }],
                },
            },
            s.Namespace);
        await s.CreateAppAsync(replicas: 3, trafficProvider: "kubernetes");
        await s.CreateCanaryAsync(new CanaryAnalysis { Interval = "2s", Threshold = 5, StepWeight = 50, MaxWeight = 50 });
        var initialized = await s.WaitForPhaseAsync(CanaryPhase.Initialized);
        var uid = initialized.Metadata.Uid;
        Assert.Equal(0, (await s.DeploymentAsync("podinfo")).Spec.Replicas);
        Assert.Equal("podinfo-primary", (await s.Client.CoreV1.ReadNamespacedServiceAsync("podinfo", s.Namespace)).Spec.Selector["app"]);
        Assert.NotNull(env.TryGet(Crds.HttpRoutes, s.Namespace, "podinfo"));

        await s.DeleteCanaryAsync();
        await s.WaitUntilAsync(c => c is null, "Canary gone (finalizer removed)");

        var target = await s.DeploymentAsync("podinfo");
        Assert.Equal(3, target.Spec.Replicas);
        Assert.Equal(3, target.Status.ReadyReplicas ?? 0);
        var apex = await s.Client.CoreV1.ReadNamespacedServiceAsync("podinfo", s.Namespace);
        Assert.Equal(new Dictionary<string, string> { ["app"] = "podinfo" }, apex.Spec.Selector);
        var events = await s.EventMessagesAsync();
        Assert.Contains($"Terminating canary podinfo.{s.Namespace}", events);
        Assert.Contains($"Terminated canary podinfo.{s.Namespace}", events);

        // Garbage collection: everything owned by the Canary, and what those objects owned, goes.
        await s.WaitUntilAsync(() => Owned(s.Namespace, uid).Count == 0 && env.TryGet(BuiltInResources.Deployments, s.Namespace, "podinfo-primary") is null,
            "objects owned by the Canary garbage-collected");
        Assert.Null(env.TryGet(BuiltInResources.Services, s.Namespace, "podinfo-primary"));
        Assert.Null(env.TryGet(BuiltInResources.Services, s.Namespace, "podinfo-canary"));
        Assert.Null(env.TryGet(Crds.HttpRoutes, s.Namespace, "podinfo"));
        await s.WaitUntilAsync(() => !PodsOf(s.Namespace, "podinfo-primary").Any(), "primary pods gone");

        // Clients of the apex Service are served by the user's Deployment again.
        await s.WaitUntilAsync(
            () => s.Routing().All(r => r.Backends.Count == 1 && r.Backends[0].Workloads.SequenceEqual(["podinfo"]) && r.Backends[0].ReadyPods == 3),
            "apex Service endpoints are the user's pods");
        var before = s.Traffic();
        await s.WaitUntilAsync(() => s.Traffic().Since(before).Total >= 100, "some requests served");
        var served = s.Traffic().Since(before);
        Assert.Equal(served.Total, served.Count(k => k.Workload == "podinfo" && k.StatusCode == 200));
    }

    private List<string> Owned(string ns, string? uid)
    {
        var kinds = new[] { BuiltInResources.Deployments, BuiltInResources.Services, BuiltInResources.ConfigMaps, BuiltInResources.Secrets, BuiltInResources.HorizontalPodAutoscalers, Crds.HttpRoutes };
        return [.. kinds.SelectMany(kind => env.Store.List(kind, ns).Items
            .Where(o => (o["metadata"]?["ownerReferences"] as JsonArray ?? []).Any(r => (string?)r?["uid"] == uid))
            .Select(o => $"{kind.Resource}/{(string?)o["metadata"]?["name"]}"))];
    }

    private IEnumerable<JsonObject> PodsOf(string ns, string deployment) =>
        env.Store.List(BuiltInResources.Pods, ns).Items.Where(p => ((string?)p["metadata"]?["name"])?.StartsWith(deployment + "-", StringComparison.Ordinal) == true
            && (string?)p["metadata"]?["labels"]?["app"] == deployment);
}
