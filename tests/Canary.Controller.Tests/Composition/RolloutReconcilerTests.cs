using System.Net.Http;
using Canary.Api.V1Beta1;
using Canary.Controller.Tests.Support;
using Canary.Sandbox.Workloads;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Canary.Controller.Tests.Composition;

/// <summary>The controller host with the rollout engine against the sandbox cluster (workload simulator on).</summary>
[Collection(ExclusiveMetrics.Name)]
public sealed class RolloutReconcilerTests : IAsyncLifetime
{
    private const string Ns = "rollout";
    private SandboxCluster _cluster = null!;
    private IKubernetes _kube = null!;

    public async Task InitializeAsync()
    {
        _cluster = await SandboxCluster.StartAsync(new SandboxClusterOptions { Workloads = new WorkloadSimulatorOptions { ReadyDelay = TimeSpan.FromMilliseconds(200) } });
        _kube = _cluster.CreateClient();
        foreach (var file in Directory.GetFiles(Path.Combine(RepoRoot(), "manifests", "crds"), "*.canary.dev.yaml"))
        {
            await _kube.ApiextensionsV1.CreateCustomResourceDefinitionAsync(KubernetesYaml.Deserialize<V1CustomResourceDefinition>(await File.ReadAllTextAsync(file)));
        }

        await _kube.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = Ns } });
    }

    public async Task DisposeAsync()
    {
        _kube.Dispose();
        await _cluster.DisposeAsync();
    }

    [Fact]
    public async Task Initializes_promotes_a_new_image_exports_metrics_and_reverts_on_deletion()
    {
        await _kube.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "podinfo-config", NamespaceProperty = Ns }, Data = new Dictionary<string, string> { ["color"] = "blue" } }, Ns);
        await _kube.AppsV1.CreateNamespacedDeploymentAsync(Podinfo("ghcr.io/stefanprodan/podinfo:6.0.0"), Ns);

        // The user's own apex Service: taken over at initialization, handed back on deletion (a generated one is garbage collected).
        await _kube.CoreV1.CreateNamespacedServiceAsync(new V1Service
        {
            Metadata = new V1ObjectMeta { Name = "podinfo", NamespaceProperty = Ns },
            Spec = new V1ServiceSpec { Selector = new Dictionary<string, string> { ["app"] = "podinfo" }, Ports = [new V1ServicePort { Name = "http", Port = 9898, TargetPort = 9898 }] },
        }, Ns);
        await _kube.CustomObjects.CreateNamespacedCustomObjectAsync(CanaryObject(), CanaryApi.Group, CanaryApi.Version, Ns, "canaries");
        await using var host = await TestHost.StartAsync(_cluster.Server, o => o with { MeshProvider = "kubernetes", Threadiness = 2 }, withEngine: true);

        await EventuallyAsync(async () => (await CanaryAsync())?.Status?.Phase == CanaryPhase.Initialized, "the canary is initialized");
        var primary = await _kube.AppsV1.ReadNamespacedDeploymentAsync("podinfo-primary", Ns);
        Assert.Equal(2, primary.Status?.ReadyReplicas);
        Assert.Equal(0, (await _kube.AppsV1.ReadNamespacedDeploymentAsync("podinfo", Ns)).Spec.Replicas);
        Assert.Equal("podinfo-primary", (await _kube.CoreV1.ReadNamespacedServiceAsync("podinfo", Ns)).Spec.Selector["app"]);
        Assert.Equal("podinfo-primary", (await _kube.CoreV1.ReadNamespacedServiceAsync("podinfo-primary", Ns)).Spec.Selector["app"]);
        Assert.Equal("podinfo", (await _kube.CoreV1.ReadNamespacedServiceAsync("podinfo-canary", Ns)).Spec.Selector["app"]);
        Assert.Equal("blue", (await _kube.CoreV1.ReadNamespacedConfigMapAsync("podinfo-config-primary", Ns)).Data["color"]);

        // Idle: no status write (Initialized asks for no timed tick at all: EngineIdleTests).
        using var http = new HttpClient();
        var version = (await CanaryAsync())!.Metadata.ResourceVersion;
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal(version, (await CanaryAsync())!.Metadata.ResourceVersion);

        var deployment = await _kube.AppsV1.ReadNamespacedDeploymentAsync("podinfo", Ns);
        deployment.Spec.Template.Spec.Containers[0].Image = "ghcr.io/stefanprodan/podinfo:6.0.1";
        await _kube.AppsV1.ReplaceNamespacedDeploymentAsync(deployment, "podinfo", Ns);
        var phases = new List<CanaryPhase?>();
        await EventuallyAsync(async () =>
        {
            var phase = (await CanaryAsync())?.Status?.Phase;
            if (phases.Count == 0 || phases[^1] != phase)
            {
                phases.Add(phase);
            }

            return phase == CanaryPhase.Succeeded;
        }, "the new image is promoted", TimeSpan.FromSeconds(60));
        Assert.Contains(CanaryPhase.Progressing, phases);
        Assert.Equal("ghcr.io/stefanprodan/podinfo:6.0.1", (await _kube.AppsV1.ReadNamespacedDeploymentAsync("podinfo-primary", Ns)).Spec.Template.Spec.Containers[0].Image);
        Assert.Equal(0, (await _kube.AppsV1.ReadNamespacedDeploymentAsync("podinfo", Ns)).Spec.Replicas);

        var metrics = await http.GetStringAsync(host.Metrics);
        foreach (var series in new[]
        {
            $"canary_canary_status{{name=\"podinfo\",namespace=\"{Ns}\"}} 1",
            $"canary_canary_weight{{namespace=\"{Ns}\",workload=\"podinfo-primary\"}} 100",
            $"canary_canary_weight{{namespace=\"{Ns}\",workload=\"podinfo\"}} 0",
            $"canary_canary_successes_total{{analysis_status=\"completed\",deployment_strategy=\"blue-green\",name=\"podinfo\",namespace=\"{Ns}\"}} 1",
            $"canary_canary_duration_seconds_bucket{{name=\"podinfo\",namespace=\"{Ns}\",le=\"10\"}}",
        })
        {
            Assert.True(metrics.Contains(series, StringComparison.Ordinal), $"{series} missing from:\n{metrics}");
        }

        await _kube.CustomObjects.DeleteNamespacedCustomObjectAsync(CanaryApi.Group, CanaryApi.Version, Ns, "canaries", "podinfo");
        await EventuallyAsync(async () => await CanaryAsync() is null, "the finalizer is removed after the revert", TimeSpan.FromSeconds(30));
        Assert.Equal(2, (await _kube.AppsV1.ReadNamespacedDeploymentAsync("podinfo", Ns)).Spec.Replicas);
        Assert.Equal("podinfo", (await _kube.CoreV1.ReadNamespacedServiceAsync("podinfo", Ns)).Spec.Selector["app"]);
        await EventuallyAsync(async () => await DeploymentAsync("podinfo-primary") is null, "the primary is garbage collected");
        await EventuallyAsync(async () => !(await http.GetStringAsync(host.Metrics)).Contains("canary_canary_status{", StringComparison.Ordinal), "the canary's gauges are dropped");
    }

    [Fact]
    public async Task Router_objects_of_every_provider_are_cached_whatever_the_default_provider()
    {
        await using var host = await TestHost.StartAsync(_cluster.Server, o => o with { MeshProvider = "kubernetes" }, withEngine: true);
        var kinds = host.Caches.Routers.Select(r => r.Kind).ToList();
        Assert.Contains("Ingress.networking.k8s.io", kinds);
        Assert.Contains("VirtualService.networking.istio.io", kinds);
        Assert.Contains("DestinationRule.networking.istio.io", kinds);
        Assert.Contains("HTTPRoute.v1.gateway.networking.k8s.io", kinds);
        Assert.Contains("HTTPRoute.v1beta1.gateway.networking.k8s.io", kinds);
        await SandboxKit.EventuallyAsync(() => host.Caches.HasSynced, because: "missing router CRDs do not block the sync");
    }

    private static V1Deployment Podinfo(string image) => new()
    {
        Metadata = new V1ObjectMeta { Name = "podinfo", NamespaceProperty = Ns, Labels = new Dictionary<string, string> { ["app"] = "podinfo" } },
        Spec = new V1DeploymentSpec
        {
            Replicas = 2,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "podinfo" } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "podinfo" } },
                Spec = new V1PodSpec
                {
                    Containers =
                    [
                        new V1Container
                        {
                            Name = "podinfod",
                            Image = image,
                            Ports = [new V1ContainerPort { Name = "http", ContainerPort = 9898 }],
                            EnvFrom = [new V1EnvFromSource { ConfigMapRef = new V1ConfigMapEnvSource { Name = "podinfo-config" } }],
                        },
                    ],
                },
            },
        },
    };

    // Blue/green (iterations) is what the kubernetes provider supports; no metrics, so every iteration passes.
    private static Dictionary<string, object> CanaryObject() => new Dictionary<string, object>
    {
        ["apiVersion"] = CanaryApi.ApiVersion,
        ["kind"] = "Canary",
        ["metadata"] = new Dictionary<string, object> { ["name"] = "podinfo", ["namespace"] = Ns },
        ["spec"] = new Dictionary<string, object>
        {
            ["provider"] = "kubernetes",
            ["targetRef"] = new Dictionary<string, object> { ["apiVersion"] = "apps/v1", ["kind"] = "Deployment", ["name"] = "podinfo" },
            ["service"] = new Dictionary<string, object> { ["port"] = 9898 },
            ["skipAnalysis"] = false,
            ["analysis"] = new Dictionary<string, object> { ["interval"] = "1s", ["threshold"] = 2, ["iterations"] = 3 },
        },
    };

    private async Task<CanaryResource?> CanaryAsync()
    {
        try
        {
            return await _kube.CustomObjects.GetNamespacedCustomObjectAsync<CanaryResource>(CanaryApi.Group, CanaryApi.Version, Ns, "canaries", "podinfo");
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private async Task<V1Deployment?> DeploymentAsync(string name)
    {
        try
        {
            return await _kube.AppsV1.ReadNamespacedDeploymentAsync(name, Ns);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private static async Task EventuallyAsync(Func<Task<bool>> condition, string because, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Condition not met in time: {because}");
            await Task.Delay(100);
        }
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Canary.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Canary.sln not found above the test folder");
    }
}
