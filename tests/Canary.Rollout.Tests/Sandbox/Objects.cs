using Canary.Api.V1Beta1;
using k8s;
using k8s.Models;

namespace Canary.Rollout.Tests.Sandbox;

/// <summary>The podinfo objects used by the sandbox tests.</summary>
internal static class Objects
{
    public static V1Deployment Podinfo(string ns, string image = "ghcr.io/stefanprodan/podinfo:6.0.0", int replicas = 2) => new()
    {
        ApiVersion = "apps/v1",
        Kind = "Deployment",
        Metadata = new V1ObjectMeta
        {
            Name = "podinfo",
            NamespaceProperty = ns,
            Labels = new Dictionary<string, string> { ["app"] = "podinfo", ["team"] = "web", ["kustomize.toolkit.fluxcd.io/name"] = "apps" },
            Annotations = new Dictionary<string, string> { ["owner"] = "web-team" },
        },
        Spec = new V1DeploymentSpec
        {
            Replicas = replicas,
            MinReadySeconds = 3,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "podinfo" } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta
                {
                    Labels = new Dictionary<string, string> { ["app"] = "podinfo", ["version"] = "v1" },
                    Annotations = new Dictionary<string, string> { ["prometheus.io/scrape"] = "true" },
                },
                Spec = new V1PodSpec
                {
                    Containers =
                    [
                        new V1Container
                        {
                            Name = "podinfod",
                            Image = image,
                            EnvFrom = [new V1EnvFromSource { ConfigMapRef = new V1ConfigMapEnvSource { Name = "podinfo-config" } }],
                            Env = [new V1EnvVar { Name = "TOKEN", ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = "podinfo-secret", Key = "token" } } }],
                            VolumeMounts = [new V1VolumeMount { Name = "shared", MountPath = "/shared" }],
                        },
                    ],
                    Volumes = [new V1Volume { Name = "shared", ConfigMap = new V1ConfigMapVolumeSource { Name = "shared-config" } }],
                    Affinity = new V1Affinity
                    {
                        PodAntiAffinity = new V1PodAntiAffinity
                        {
                            PreferredDuringSchedulingIgnoredDuringExecution =
                            [
                                new V1WeightedPodAffinityTerm
                                {
                                    Weight = 100,
                                    PodAffinityTerm = new V1PodAffinityTerm
                                    {
                                        TopologyKey = "kubernetes.io/hostname",
                                        LabelSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "podinfo" } },
                                    },
                                },
                            ],
                        },
                    },
                },
            },
        },
    };

    public static V1ConfigMap ConfigMap(string ns, string name, string value, bool trackingDisabled = false) => new()
    {
        ApiVersion = "v1",
        Kind = "ConfigMap",
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = ns,
            Annotations = trackingDisabled ? new Dictionary<string, string> { ["canary.dev/config-tracking"] = "disabled" } : null,
        },
        Data = new Dictionary<string, string> { ["color"] = value },
    };

    public static V1Secret Secret(string ns) => new()
    {
        ApiVersion = "v1",
        Kind = "Secret",
        Type = "Opaque",
        Metadata = new V1ObjectMeta { Name = "podinfo-secret", NamespaceProperty = ns },
        Data = new Dictionary<string, byte[]> { ["token"] = "s3cr3t"u8.ToArray() },
    };

    public static V2HorizontalPodAutoscaler Hpa(string ns) => new()
    {
        ApiVersion = "autoscaling/v2",
        Kind = "HorizontalPodAutoscaler",
        Metadata = new V1ObjectMeta { Name = "podinfo", NamespaceProperty = ns },
        Spec = new V2HorizontalPodAutoscalerSpec
        {
            ScaleTargetRef = new V2CrossVersionObjectReference { ApiVersion = "apps/v1", Kind = "Deployment", Name = "podinfo" },
            MinReplicas = 2,
            MaxReplicas = 4,
            Metrics =
            [
                new V2MetricSpec
                {
                    Type = "Resource",
                    Resource = new V2ResourceMetricSource { Name = "cpu", Target = new V2MetricTarget { Type = "Utilization", AverageUtilization = 80 } },
                },
            ],
        },
    };

    public static CanaryResource Canary(string ns, bool withHpa = true, string provider = "kubernetes") => new()
    {
        Metadata = new V1ObjectMeta { Name = "podinfo", NamespaceProperty = ns },
        Spec = new CanarySpec
        {
            Provider = provider,
            TargetRef = new TargetReference { ApiVersion = "apps/v1", Kind = "Deployment", Name = "podinfo" },
            AutoscalerRef = withHpa ? new AutoscalerReference { ApiVersion = "autoscaling/v2", Kind = "HorizontalPodAutoscaler", Name = "podinfo" } : null,
            Service = new CanaryService { Port = 9898 },
            Analysis = new CanaryAnalysis { Interval = "10s", Threshold = 2, Iterations = 2 },
        },
    };

    public static async Task<CanaryResource> CreateAllAsync(IKubernetes client, string ns, bool withHpa = true)
    {
        await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap(ns, "podinfo-config", "blue"), ns);
        await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap(ns, "shared-config", "x", trackingDisabled: true), ns);
        await client.CoreV1.CreateNamespacedSecretAsync(Secret(ns), ns);
        await client.AppsV1.CreateNamespacedDeploymentAsync(Podinfo(ns), ns);
        if (withHpa)
        {
            await client.AutoscalingV2.CreateNamespacedHorizontalPodAutoscalerAsync(Hpa(ns), ns);
        }

        return await client.CustomObjects.CreateNamespacedCustomObjectAsync<CanaryResource>(
            Canary(ns, withHpa), CanaryApi.Group, CanaryApi.Version, ns, CanaryResource.KubePluralName);
    }

    /// <summary>Plays the Deployment controller: status says every replica of the current generation is available.</summary>
    public static async Task MarkReadyAsync(IKubernetes client, string ns, string name)
    {
        var deployment = await client.AppsV1.ReadNamespacedDeploymentAsync(name, ns);
        var replicas = deployment.Spec.Replicas ?? 1;
        deployment.Status = new V1DeploymentStatus
        {
            ObservedGeneration = deployment.Metadata.Generation,
            Replicas = replicas,
            UpdatedReplicas = replicas,
            ReadyReplicas = replicas,
            AvailableReplicas = replicas,
        };
        await client.AppsV1.ReplaceNamespacedDeploymentStatusAsync(deployment, name, ns);
    }

    public static string Json(object value) => KubernetesJson.Serialize(value);
}
