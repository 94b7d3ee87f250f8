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

    /// <summary>
    /// podinfo as a Knative Service (serving.knative.dev/v1): the Deployment's pod template, two pods per revision
    /// (<c>autoscaling.knative.dev/min-scale</c>); the sandbox's simulated Knative Serving runs each revision.
    /// </summary>
    public static System.Text.Json.Nodes.JsonObject KnativeService(string ns)
    {
        var template = System.Text.Json.Nodes.JsonNode.Parse(k8s.KubernetesJson.Serialize(Deployment(ns).Spec.Template))!.AsObject();
        template["metadata"]!["annotations"] = new System.Text.Json.Nodes.JsonObject { ["autoscaling.knative.dev/min-scale"] = "2" };
        return new System.Text.Json.Nodes.JsonObject
        {
            ["apiVersion"] = "serving.knative.dev/v1",
            ["kind"] = "Service",
            ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["name"] = Name, ["namespace"] = ns },
            ["spec"] = new System.Text.Json.Nodes.JsonObject { ["template"] = template },
        };
    }

    /// <summary>podinfo as a DaemonSet (one pod per simulated node); <paramref name="templateAnnotations"/> as for the Deployment.</summary>
    public static V1DaemonSet DaemonSet(string ns, IDictionary<string, string>? templateAnnotations = null)
    {
        var deployment = Deployment(ns, templateAnnotations: templateAnnotations);
        return new V1DaemonSet
        {
            ApiVersion = "apps/v1",
            Kind = "DaemonSet",
            Metadata = deployment.Metadata,
            Spec = new V1DaemonSetSpec { Selector = deployment.Spec.Selector, Template = deployment.Spec.Template },
        };
    }

    /// <summary>
    /// A MetricTemplate: the error rate (%) of the target's own pods (<c>&lt;target&gt;-xxxxx</c>, a DaemonSet's pod names)
    /// from their <c>http_request_duration_seconds_count</c>, whatever the data plane; no value without requests.
    /// </summary>
    public static MetricTemplate PodErrorRate(Uri prometheus) => new()
    {
        Metadata = new V1ObjectMeta { Name = "pod-error-rate" },
        Spec = new MetricTemplateSpec
        {
            Provider = new MetricProvider { Type = MetricProviderTypes.Prometheus, Address = prometheus.ToString() },
            Query = """
                100 * (sum(rate(http_request_duration_seconds_count{kubernetes_namespace="{{ namespace }}",kubernetes_pod_name=~"{{ target }}-[0-9a-z]{5}",status=~"5.*"}[{{ interval }}])) or vector(0))
                / sum(rate(http_request_duration_seconds_count{kubernetes_namespace="{{ namespace }}",kubernetes_pod_name=~"{{ target }}-[0-9a-z]{5}"}[{{ interval }}]))
                """,
        },
    };

    /// <summary>Uses <see cref="PodErrorRate"/>: at most <paramref name="max"/> % of the canary pods' answers may be 5xx.</summary>
    public static CanaryMetric PodErrorRateCheck(double max = 1, string window = "10s") => new()
    {
        Name = "pod-error-rate",
        Interval = window,
        TemplateRef = new CrossNamespaceObjectReference { Name = "pod-error-rate" },
        ThresholdRange = new CanaryThresholdRange { Max = max },
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

    /// <summary>The user's own Ingress for podinfo (host app.example.com, every path to the apex), for ingress providers.</summary>
    public static V1Ingress Ingress(string ns, string ingressClass) => new()
    {
        Metadata = new V1ObjectMeta { Name = Name, NamespaceProperty = ns },
        Spec = new V1IngressSpec
        {
            IngressClassName = ingressClass,
            Rules =
            [
                new V1IngressRule
                {
                    Host = "app.example.com",
                    Http = new V1HTTPIngressRuleValue
                    {
                        Paths = [new V1HTTPIngressPath { Path = "/", PathType = "Prefix", Backend = new V1IngressBackend { Service = new V1IngressServiceBackend { Name = Name, Port = new V1ServiceBackendPort { Number = Port } } } }],
                    },
                },
            ],
        },
    };

    /// <summary>Pod-template annotations making the simulated pods answer 500 to a share of requests.</summary>
    public static Dictionary<string, string> ErrorRate(double share) =>
        new() { [SandboxAnnotations.ErrorRate] = share.ToString(System.Globalization.CultureInfo.InvariantCulture) };
}
