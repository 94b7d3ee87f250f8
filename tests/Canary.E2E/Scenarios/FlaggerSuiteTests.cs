using System.Text.Json.Nodes;
using Canary.Api.V1Beta1;
using Canary.E2E.Infrastructure;
using Canary.Sandbox.ApiServer.Resources;
using Canary.Sandbox.Workloads;
using k8s;
using k8s.Models;
using Xunit.Abstractions;

namespace Canary.E2E.Scenarios;

/// <summary>
/// The scenarios of Flagger's own e2e suite for Deployments (fluxcd/flagger test/kubernetes/test-deployment.sh,
/// test-hpa.sh, test/istio/test-skip-analysis.sh), written from what those scripts check, on the kubernetes provider as
/// there: the canary gets no traffic but the load tester's, and releases fail through podinfo's own HTTP API
/// (<c>/status/500</c>, <c>/delay/1</c>) as Flagger's do. tests/Canary.E2E/README.md maps each Flagger scenario to ours.
/// </summary>
[Collection(FluxScenarios.Name)]
public sealed class FlaggerSuiteTests(FluxEnvironment env, ITestOutputHelper output)
{
    private const string Provider = "kubernetes";

    [Fact]
    public async Task Initialization_marks_the_apex_for_Flux_copies_prefixed_metadata_and_a_set_image_release_passes_the_token_acceptance_test()
    {
        await using var s = await CanaryScenario.StartAsync(env, "flagger-deploy", Provider, output);
        await using var tester = await SandboxLoadTester.StartAsync(env);
        await CreateUserApexServiceAsync(s);
        await CreateDeploymentAsync(s);
        await s.CreateCanaryAsync(new CanaryAnalysis
        {
            Interval = "2s",
            Iterations = 3,
            Threshold = 5,
            Metrics = [Podinfo.SuccessRate()],
            Webhooks =
            [
                // Flagger's: curl -sd 'test' http://podinfo-canary/token | grep token (no shell here: --fail on the answer).
                tester.Hook("acceptance-test", WebhookTypes.PreRollout, $"curl -sf -x {tester.Proxy} -d test http://podinfo-canary.{s.Namespace}:{Podinfo.Port}/token"),
                tester.Hook("load-test", WebhookTypes.Rollout, $"hey -z 1m -q 10 -c 2 http://podinfo-canary.{s.Namespace}:{Podinfo.Port}/"),
            ],
        });
        await s.WaitForPhaseAsync(CanaryPhase.Initialized);

        var apex = await s.Client.CoreV1.ReadNamespacedServiceAsync(Podinfo.Name, s.Namespace);
        Assert.Equal("disabled", apex.Metadata.Annotations["kustomize.toolkit.fluxcd.io/reconcile"]);
        Assert.Equal("disabled", apex.Metadata.Annotations["helm.toolkit.fluxcd.io/driftDetection"]);
        var primary = await s.DeploymentAsync("podinfo-primary");
        Assert.Equal("web", primary.Metadata.Labels["test-label-prefix/tier"]);
        Assert.Equal("shop", primary.Metadata.Labels["app.kubernetes.io/part-of"]);
        Assert.False(primary.Metadata.Labels.ContainsKey("team"), "a label outside --include-label-prefix was copied");
        Assert.Equal("docs", primary.Metadata.Annotations["test-annotation-prefix/link"]);
        Assert.False(primary.Metadata.Annotations.ContainsKey("owner"), "an annotation outside --include-label-prefix was copied");

        var set = await Tools.KubectlAsync(env.Kubeconfig, ["-n", s.Namespace, "set", "image", "deployment/podinfo", $"podinfod={Podinfo.NewImage}"]);
        Assert.True(set.ExitCode == 0, set.ToString());
        await s.WaitForPhaseAsync(CanaryPhase.Succeeded, TimeSpan.FromMinutes(2));
        Assert.Equal(Podinfo.NewImage, (await s.DeploymentAsync("podinfo-primary")).Spec.Template.Spec.Containers[0].Image);
        Assert.Contains(s.Canary()!.Status!.Webhooks ?? [], w => w is { Name: "acceptance-test", Passed: true });
    }

    [Fact]
    public async Task Load_tests_on_status_500_and_on_delay_1_roll_releases_back()
    {
        await using var s = await CanaryScenario.StartAsync(env, "flagger-fail", Provider, output);
        await using var tester = await SandboxLoadTester.StartAsync(env);
        await CreateDeploymentAsync(s);
        var hey = $"hey -z 1m -q 10 -c 4 http://podinfo-canary.{s.Namespace}:{Podinfo.Port}";
        await s.CreateCanaryAsync(new CanaryAnalysis
        {
            Interval = "2s",
            Iterations = 10,
            // Above the checks that find no data yet (the load test starts with the first step, Prometheus scrapes every
            // second), so the release is rolled back on what the load test got.
            Threshold = 5,
            Metrics = [Podinfo.SuccessRate()],
            Webhooks = [tester.Hook("load-test", WebhookTypes.Rollout, $"{hey}/status/500")],
        });
        await s.WaitForPhaseAsync(CanaryPhase.Initialized);

        // Every request of the load test answers 500. Flagger's ratio is empty then ("no values found ... probably not
        // receiving traffic"); here the canary's counts measure it at 0%, and the release is rolled back on that.
        await s.EditTemplateAsync(image: Podinfo.NewImage);
        await s.WaitForPhaseAsync(CanaryPhase.Failed, TimeSpan.FromMinutes(2));
        Assert.Equal(Podinfo.Image, (await s.DeploymentAsync("podinfo-primary")).Spec.Template.Spec.Containers[0].Image);
        Assert.Contains(s.Canary()!.Status!.Checks ?? [], c => c is { Metric: BuiltInMetrics.RequestSuccessRate, Verdict: CheckVerdicts.Fail, CanaryValue: < 1 });

        // Every request waits a second: the latency check fails and the next release is rolled back too.
        await PatchAnalysisAsync(s, new JsonObject
        {
            ["metrics"] = new JsonArray(new JsonObject { ["name"] = BuiltInMetrics.RequestDuration, ["interval"] = "10s", ["thresholdRange"] = new JsonObject { ["max"] = 500 } }),
            ["webhooks"] = new JsonArray(JsonNode.Parse(KubernetesJson.Serialize(tester.Hook("load-test", WebhookTypes.Rollout, $"{hey}/delay/1")))),
        });
        await s.EditTemplateAsync(image: "ghcr.io/stefanprodan/podinfo:6.0.2");
        // The phase is still Failed from the first release: wait for the failure that has latency checks.
        await s.WaitUntilAsync(c => c?.Status is { Phase: CanaryPhase.Failed } status && (status.Checks ?? []).Any(k => k.Metric == BuiltInMetrics.RequestDuration),
            "the slow release rolled back on its latency", TimeSpan.FromMinutes(2));
        Assert.Equal(Podinfo.Image, (await s.DeploymentAsync("podinfo-primary")).Spec.Template.Spec.Containers[0].Image);
        Assert.Contains(s.Canary()!.Status!.Checks ?? [], c => c is { Metric: BuiltInMetrics.RequestDuration, Verdict: CheckVerdicts.Fail, CanaryValue: >= 900 });
    }

    [Fact]
    public async Task Skip_analysis_promotes_without_checks_and_a_release_whose_pods_never_get_ready_fails_with_the_primary_serving()
    {
        await using var s = await CanaryScenario.StartAsync(env, "flagger-skip", Provider, output);
        await CreateDeploymentAsync(s);
        await s.CreateCanaryAsync(
            new CanaryAnalysis { Interval = "2s", Iterations = 3, Threshold = 2, Metrics = [Podinfo.SuccessRate()] },
            c =>
            {
                c.Spec.SkipAnalysis = true;
                c.Spec.ProgressDeadlineSeconds = 10;
            });
        await s.WaitForPhaseAsync(CanaryPhase.Initialized);

        await s.EditTemplateAsync(image: Podinfo.NewImage);
        await s.WaitForPhaseAsync(CanaryPhase.Succeeded, TimeSpan.FromMinutes(2));
        Assert.Equal(Podinfo.NewImage, (await s.DeploymentAsync("podinfo-primary")).Spec.Template.Spec.Containers[0].Image);
        Assert.Empty(s.Canary()!.Status!.Checks ?? []);

        // Flagger's "non existent docker image": pods that never get ready fail the release past the progress deadline.
        await s.EditTemplateAsync(image: "ghcr.io/stefanprodan/podinfo:6.0.3", annotations: new Dictionary<string, string> { [SandboxAnnotations.NeverReady] = "true" });
        await s.WaitForPhaseAsync(CanaryPhase.Failed, TimeSpan.FromMinutes(2));
        var primary = await s.DeploymentAsync("podinfo-primary");
        Assert.Equal(Podinfo.NewImage, primary.Spec.Template.Spec.Containers[0].Image);
        await s.WaitUntilAsync(() => (long?)env.TryGet(BuiltInResources.Deployments, s.Namespace, "podinfo-primary")?["status"]?["readyReplicas"] == 2, "primary still ready");
    }

    [Fact]
    public async Task An_HPA_target_gets_a_primary_HPA_with_prefixed_labels_and_a_release_is_promoted()
    {
        await using var s = await CanaryScenario.StartAsync(env, "flagger-hpa", Provider, output);
        await using var tester = await SandboxLoadTester.StartAsync(env);
        await CreateDeploymentAsync(s);
        await s.Client.AutoscalingV2.CreateNamespacedHorizontalPodAutoscalerAsync(
            new V2HorizontalPodAutoscaler
            {
                Metadata = new V1ObjectMeta
                {
                    Name = Podinfo.Name,
                    Labels = new Dictionary<string, string> { ["test-label-prefix/tier"] = "web", ["team"] = "shop" },
                },
                Spec = new V2HorizontalPodAutoscalerSpec
                {
                    ScaleTargetRef = new V2CrossVersionObjectReference { ApiVersion = "apps/v1", Kind = "Deployment", Name = Podinfo.Name },
                    MinReplicas = 2,
                    MaxReplicas = 4,
                    Metrics = [new V2MetricSpec { Type = "Resource", Resource = new V2ResourceMetricSource { Name = "cpu", Target = new V2MetricTarget { Type = "Utilization", AverageUtilization = 90 } } }],
                },
            },
            s.Namespace);
        await s.CreateCanaryAsync(
            Analysis(tester, s),
            c => c.Spec.AutoscalerRef = new AutoscalerReference { ApiVersion = "autoscaling/v2", Kind = "HorizontalPodAutoscaler", Name = Podinfo.Name });
        await s.WaitForPhaseAsync(CanaryPhase.Initialized);

        var hpa = await s.Client.AutoscalingV2.ReadNamespacedHorizontalPodAutoscalerAsync("podinfo-primary", s.Namespace);
        Assert.Equal("podinfo-primary", hpa.Spec.ScaleTargetRef.Name);
        Assert.Equal((2, 4), (hpa.Spec.MinReplicas, hpa.Spec.MaxReplicas));
        Assert.Equal(new Dictionary<string, string> { ["test-label-prefix/tier"] = "web" }, hpa.Metadata.Labels);
        Assert.Equal("disabled", hpa.Metadata.Annotations["kustomize.toolkit.fluxcd.io/reconcile"]);

        await s.EditTemplateAsync(image: Podinfo.NewImage);
        await s.WaitForPhaseAsync(CanaryPhase.Succeeded, TimeSpan.FromMinutes(2));
        Assert.Equal(Podinfo.NewImage, (await s.DeploymentAsync("podinfo-primary")).Spec.Template.Spec.Containers[0].Image);
    }

    [Fact]
    public async Task A_Secret_change_alone_is_a_release_promoted_to_the_primary_Secret()
    {
        await using var s = await CanaryScenario.StartAsync(env, "flagger-secret", Provider, output);
        await using var tester = await SandboxLoadTester.StartAsync(env);
        await s.Client.CoreV1.CreateNamespacedSecretAsync(
            new V1Secret
            {
                Metadata = new V1ObjectMeta { Name = "podinfo-secret", Labels = new Dictionary<string, string> { ["test-label-prefix/tier"] = "web", ["team"] = "shop" } },
                StringData = new Dictionary<string, string> { ["PODINFO_SECRET_USER"] = "test" },
            },
            s.Namespace);
        await CreateDeploymentAsync(s, withSecret: true);
        await s.CreateCanaryAsync(Analysis(tester, s));
        await s.WaitForPhaseAsync(CanaryPhase.Initialized);

        var copy = await s.Client.CoreV1.ReadNamespacedSecretAsync("podinfo-secret-primary", s.Namespace);
        Assert.Equal(new Dictionary<string, string> { ["test-label-prefix/tier"] = "web" }, copy.Metadata.Labels);
        Assert.Equal("disabled", copy.Metadata.Annotations["kustomize.toolkit.fluxcd.io/reconcile"]);
        Assert.Equal("podinfo-secret-primary", (await s.DeploymentAsync("podinfo-primary")).Spec.Template.Spec.Containers[0].EnvFrom[0].SecretRef.Name);

        var patch = new JsonObject { ["stringData"] = new JsonObject { ["PODINFO_SECRET_USER"] = "changed" } };
        await s.Client.CoreV1.PatchNamespacedSecretAsync(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), "podinfo-secret", s.Namespace);
        await s.WaitForPhaseAsync(CanaryPhase.Progressing, TimeSpan.FromMinutes(1));
        await s.WaitForPhaseAsync(CanaryPhase.Succeeded, TimeSpan.FromMinutes(2));
        copy = await s.Client.CoreV1.ReadNamespacedSecretAsync("podinfo-secret-primary", s.Namespace);
        Assert.Equal("changed", System.Text.Encoding.UTF8.GetString(copy.Data["PODINFO_SECRET_USER"]));
    }

    /// <summary>
    /// Blue/green iterations with the success rate of the load tester's requests, as Flagger's scripts: on the kubernetes
    /// provider the canary gets no other traffic. The threshold stays above the checks that find no data yet.
    /// </summary>
    private static CanaryAnalysis Analysis(SandboxLoadTester tester, CanaryScenario s) => new()
    {
        Interval = "2s",
        Iterations = 4,
        Threshold = 5,
        Metrics = [Podinfo.SuccessRate()],
        Webhooks = [tester.Hook("load-test", WebhookTypes.Rollout, $"hey -z 1m -q 10 -c 2 http://podinfo-canary.{s.Namespace}:{Podinfo.Port}/")],
    };

    /// <summary>The user's own apex Service (Flagger's test takes over podinfo-svc the same way).</summary>
    internal static Task CreateUserApexServiceAsync(CanaryScenario s) =>
        s.Client.CoreV1.CreateNamespacedServiceAsync(
            new V1Service
            {
                Metadata = new V1ObjectMeta { Name = Podinfo.Name, NamespaceProperty = s.Namespace },
                Spec = new V1ServiceSpec
                {
                    Selector = new Dictionary<string, string> { ["app"] = Podinfo.Name },
                    Ports = [new V1ServicePort { Name = "http", Port = Podinfo.Port, TargetPort = 9898 }],
                },
            },
            s.Namespace);

    /// <summary>podinfo with labels and annotations inside and outside the controller's prefixes, and clients on the apex.</summary>
    private static async Task CreateDeploymentAsync(CanaryScenario s, bool withSecret = false)
    {
        var deployment = Podinfo.Deployment(s.Namespace);
        deployment.Metadata.Labels["test-label-prefix/tier"] = "web";
        deployment.Metadata.Labels["app.kubernetes.io/part-of"] = "shop";
        deployment.Metadata.Labels["team"] = "shop";
        deployment.Metadata.Annotations = new Dictionary<string, string> { ["test-annotation-prefix/link"] = "docs", ["owner"] = "web" };
        if (withSecret)
        {
            deployment.Spec.Template.Spec.Containers[0].EnvFrom = [new V1EnvFromSource { SecretRef = new V1SecretEnvSource { Name = "podinfo-secret" } }];
        }

        await s.Client.AppsV1.CreateNamespacedDeploymentAsync(deployment, s.Namespace);
        s.Env.AddTraffic(s.Namespace, Podinfo.Name, Provider, 50);
    }

    private static async Task PatchAnalysisAsync(CanaryScenario s, JsonObject analysis) =>
        await s.Client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch(new JsonObject { ["spec"] = new JsonObject { ["analysis"] = analysis } }.ToJsonString(), V1Patch.PatchType.MergePatch),
            CanaryApi.Group, CanaryApi.Version, s.Namespace, CanaryResource.KubePluralName, Podinfo.Name);
}
