using Canary.Api.V1Beta1;
using Canary.Sandbox.Workloads;
using k8s.Models;

namespace Canary.E2E.Infrastructure;

/// <summary>The objects of the podinfo app the scenarios roll out (Flagger's e2e workload), as a user would write them.</summary>
public static class Podinfo
{
    public const string Name = "podinfo";
    public const string ConfigName = "podinfo-config";
    public const string Image = "ghcr.io/stefanprodan/podinfo:6.0.0";
    public const string NewImage = "ghcr.io/stefanprodan/podinfo:6.0.1";
    public const int Port = 80;

    /// <summary>The target Deployment; with <paramref name="withConfig"/>, its container reads <see cref="ConfigName"/> through envFrom.</summary>
    public static V1Deployment Deployment(string ns, int replicas = 2, bool withConfig = false, IDictionary<string, string>? templateAnnotations = null) => new()
    {
        ApiVersion = "apps/v1",
        Kind = "Deployment",
        Metadata = new V1ObjectMeta { Name = Name, NamespaceProperty = ns, Labels = new Dictionary<string, string> { ["app"] = Name } },
        Spec = new V1DeploymentSpec
        {
            Replicas = replicas,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = Name } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta
                {
                    Labels = new Dictionary<string, string> { ["app"] = Name },
                    Annotations = templateAnnotations is null ? null : new Dictionary<string, string>(templateAnnotations),
                },
                Spec = new V1PodSpec
                {
                    Containers =
                    [
                        new V1Container
                        {
                            Name = "podinfod",
                            Image = Image,
                            Ports = [new V1ContainerPort { Name = "http", ContainerPort = 9898 }],
                            EnvFrom = withConfig ? [new V1EnvFromSource { ConfigMapRef = new V1ConfigMapEnvSource { Name = ConfigName } }] : null,
                        },
                    ],
                },
            },
        },
    };

    public static V1ConfigMap ConfigMap(string ns, string color) => new()
    {
        ApiVersion = "v1",
        Kind = "ConfigMap",
        Metadata = new V1ObjectMeta { Name = ConfigName, NamespaceProperty = ns },
        Data = new Dictionary<string, string> { ["PODINFO_UI_COLOR"] = color },
    };

    /// <summary>
    /// A Canary for podinfo through <paramref name="provider"/> with short timings: the analysis interval, and a progress
    /// deadline long enough for the sandbox's pods. The gatewayapi providers get a Gateway parent (required by them).
    /// </summary>
    public static CanaryResource Canary(string ns, string provider, CanaryAnalysis analysis) => new()
    {
        Metadata = new V1ObjectMeta { Name = Name, NamespaceProperty = ns },
        Spec = new CanarySpec
        {
            Provider = provider,
            TargetRef = new TargetReference { ApiVersion = "apps/v1", Kind = TargetKinds.Deployment, Name = Name },
            ProgressDeadlineSeconds = 60,
            Service = new CanaryService
            {
                Port = Port,
                GatewayRefs = provider.StartsWith("gatewayapi", StringComparison.Ordinal)
                    ? [new ParentReference { Name = "gateway", Namespace = "gateway-system" }]
                    : null,
            },
            Analysis = analysis,
        },
    };

    /// <summary>The built-in success-rate check (Envoy cluster metrics for gatewayapi) over a window that 1 s scrapes fill quickly.</summary>
    public static CanaryMetric SuccessRate(double min = 99, string window = "10s") => new()
    {
        Name = BuiltInMetrics.RequestSuccessRate,
        Interval = window,
        ThresholdRange = new CanaryThresholdRange { Min = min },
    };

    /// <summary>A webhook of <paramref name="type"/> answered by the environment's receiver under the hook name <paramref name="type"/>.</summary>
    public static CanaryWebhook Hook(WebhookReceiver receiver, string ns, string type, string? name = null) => new()
    {
        Name = name ?? type,
        Type = type,
        Url = receiver.Url(ns, name ?? type),
        Timeout = "5s",
    };

    /// <summary>Pod-template annotations making the simulated pods answer 500 to a share of requests.</summary>
    public static Dictionary<string, string> ErrorRate(double share) =>
        new() { [SandboxAnnotations.ErrorRate] = share.ToString(System.Globalization.CultureInfo.InvariantCulture) };
}
