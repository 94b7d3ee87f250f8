using System.Text.Json.Serialization;
using Canary.Api.Crd;

namespace Canary.Api.V1Beta1;

/// <summary>Desired state of a <see cref="Canary"/>: a field-for-field superset of Flagger's CanarySpec.</summary>
public sealed class CanarySpec
{
    /// <summary>Traffic provider for this canary (e.g. istio, linkerd, nginx, gatewayapi:v1, kubernetes); overrides the controller's default provider.</summary>
    [JsonPropertyName("provider")]
    [CrdEnum(TrafficProviders.Apisix, TrafficProviders.AppMesh, TrafficProviders.AppMeshV1Beta2, TrafficProviders.Contour,
        TrafficProviders.GatewayApi, TrafficProviders.GatewayApiV1, TrafficProviders.GatewayApiV1Beta1, TrafficProviders.Gloo,
        TrafficProviders.Istio, TrafficProviders.Knative, TrafficProviders.Kubernetes, TrafficProviders.Kuma, TrafficProviders.Linkerd,
        TrafficProviders.Nginx, TrafficProviders.Osm, TrafficProviders.Skipper, TrafficProviders.SmiV1Alpha1, TrafficProviders.SmiV1Alpha2,
        TrafficProviders.SmiV1Alpha3, TrafficProviders.Traefik)]
    public string? Provider { get; set; }

    /// <summary>Prometheus URL used by the built-in metrics and inline queries; overrides the controller's default metrics server.</summary>
    [JsonPropertyName("metricsServer")]
    public string? MetricsServer { get; set; }

    /// <summary>The workload being rolled out (Deployment, DaemonSet or Service).</summary>
    [JsonPropertyName("targetRef")]
    [CrdRequired]
    public TargetReference? TargetRef { get; set; }

    /// <summary>Horizontal pod autoscaler or KEDA ScaledObject of the target, cloned for the primary.</summary>
    [JsonPropertyName("autoscalerRef")]
    public AutoscalerReference? AutoscalerRef { get; set; }

    /// <summary>Ingress of the target; required by the nginx and skipper providers.</summary>
    [JsonPropertyName("ingressRef")]
    public LocalObjectReference? IngressRef { get; set; }

    /// <summary>APISIX route of the target; required by the apisix provider.</summary>
    [JsonPropertyName("routeRef")]
    public LocalObjectReference? RouteRef { get; set; }

    /// <summary>Gloo Upstream whose settings are copied into the generated upstreams.</summary>
    [JsonPropertyName("upstreamRef")]
    public CrossNamespaceObjectReference? UpstreamRef { get; set; }

    /// <summary>How the apex, primary and canary Services and the provider's routing objects are generated.</summary>
    [JsonPropertyName("service")]
    [CrdRequired]
    public CanaryService? Service { get; set; }

    /// <summary>How each step of the rollout is validated and how traffic is shifted.</summary>
    [JsonPropertyName("analysis")]
    public CanaryAnalysis? Analysis { get; set; }

    /// <summary>Deprecated alias of analysis, used only when analysis is not set.</summary>
    [JsonPropertyName("canaryAnalysis")]
    public CanaryAnalysis? CanaryAnalysis { get; set; }

    /// <summary>Seconds the target and primary may take to become ready before the rollout fails. Default 600.</summary>
    [JsonPropertyName("progressDeadlineSeconds")]
    public int? ProgressDeadlineSeconds { get; set; }

    /// <summary>Promote without running metrics and webhooks. Default false.</summary>
    [JsonPropertyName("skipAnalysis")]
    public bool? SkipAnalysis { get; set; }

    /// <summary>On deletion of the Canary, give traffic and the workload back to the target as before the Canary existed. Default true (Flagger: false).</summary>
    [JsonPropertyName("revertOnDeletion")]
    public bool? RevertOnDeletion { get; set; }

    /// <summary>Pause all reconciliation of this Canary; a running analysis is frozen with its weights unchanged. Default false.</summary>
    [JsonPropertyName("suspend")]
    public bool? Suspend { get; set; }
}
