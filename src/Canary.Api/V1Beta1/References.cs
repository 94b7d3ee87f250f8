using System.Text.Json.Serialization;
using Canary.Api.Crd;

namespace Canary.Api.V1Beta1;

/// <summary>Reference to the workload under rollout.</summary>
public sealed class TargetReference
{
    /// <summary>API version of the target, e.g. apps/v1, v1 or serving.knative.dev/v1.</summary>
    [JsonPropertyName("apiVersion")]
    public string? ApiVersion { get; set; }

    /// <summary>Kind of the target: Deployment, DaemonSet or Service.</summary>
    [JsonPropertyName("kind")]
    [CrdRequired]
    [CrdEnum(TargetKinds.Deployment, TargetKinds.DaemonSet, TargetKinds.Service)]
    public string? Kind { get; set; }

    /// <summary>Name of the target in the Canary's namespace.</summary>
    [JsonPropertyName("name")]
    [CrdRequired]
    public string? Name { get; set; }
}

/// <summary>Workload kinds a Canary can target.</summary>
public static class TargetKinds
{
    public const string Deployment = "Deployment";
    public const string DaemonSet = "DaemonSet";
    public const string Service = "Service";

    /// <summary>
    /// Key of a Knative Service target (kind Service, apiVersion serving.knative.dev/*), spelled as kubectl names a kind
    /// in a group: the target registry and validation messages tell it from a core Service by this key.
    /// </summary>
    public const string KnativeService = "Service." + KnativeGroup;

    /// <summary>API group of Knative Serving.</summary>
    public const string KnativeGroup = "serving.knative.dev";

    /// <summary>Every accepted kind.</summary>
    public static IReadOnlyList<string> All { get; } = [Deployment, DaemonSet, Service];

    /// <summary>Every target key (<see cref="KeyOf"/>): the kinds, and a Knative Service.</summary>
    public static IReadOnlyList<string> Keys { get; } = [Deployment, DaemonSet, Service, KnativeService];

    /// <summary>How messages name a target key: "Knative Service", else the kind.</summary>
    public static string DisplayName(string key) => key == KnativeService ? "Knative Service" : key;

    /// <summary>
    /// The key a target is implemented under: its kind (Deployment when empty, the CRD default), or
    /// <see cref="KnativeService"/> for a Service in the Knative Serving group.
    /// </summary>
    public static string KeyOf(TargetReference? target) => target switch
    {
        { Kind: Service, ApiVersion: { } apiVersion } when apiVersion.StartsWith(KnativeGroup + "/", StringComparison.Ordinal) => KnativeService,
        { Kind: { Length: > 0 } kind } => kind,
        _ => Deployment,
    };

    /// <summary>The apiVersions <c>targetRef.apiVersion</c> may name for each kind (Knative Services are Services too).</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> ApiVersions { get; } = new Dictionary<string, IReadOnlyList<string>>
    {
        [Deployment] = ["apps/v1"],
        [DaemonSet] = ["apps/v1"],
        [Service] = ["v1", "serving.knative.dev/v1"],
    };
}

/// <summary>Reference to an object in the Canary's namespace.</summary>
public sealed class LocalObjectReference
{
    /// <summary>API version of the referent.</summary>
    [JsonPropertyName("apiVersion")]
    public string? ApiVersion { get; set; }

    /// <summary>Kind of the referent, e.g. Ingress or ApisixRoute.</summary>
    [JsonPropertyName("kind")]
    public string? Kind { get; set; }

    /// <summary>Name of the referent.</summary>
    [JsonPropertyName("name")]
    [CrdRequired]
    public string? Name { get; set; }
}

/// <summary>Reference to an object that may live in another namespace.</summary>
public sealed class CrossNamespaceObjectReference
{
    /// <summary>API version of the referent.</summary>
    [JsonPropertyName("apiVersion")]
    public string? ApiVersion { get; set; }

    /// <summary>Kind of the referent.</summary>
    [JsonPropertyName("kind")]
    public string? Kind { get; set; }

    /// <summary>Name of the referent.</summary>
    [JsonPropertyName("name")]
    [CrdRequired]
    public string? Name { get; set; }

    /// <summary>Namespace of the referent. Default: the namespace of the referring object.</summary>
    [JsonPropertyName("namespace")]
    public string? Namespace { get; set; }
}

/// <summary>Reference to a Secret in the same namespace.</summary>
public sealed class SecretKeyReference
{
    /// <summary>Name of the Secret.</summary>
    [JsonPropertyName("name")]
    [CrdRequired]
    public string? Name { get; set; }
}

/// <summary>Reference to the autoscaler of the target.</summary>
public sealed class AutoscalerReference
{
    /// <summary>API version of the autoscaler, e.g. autoscaling/v2 or keda.sh/v1alpha1.</summary>
    [JsonPropertyName("apiVersion")]
    public string? ApiVersion { get; set; }

    /// <summary>Kind of the autoscaler: HorizontalPodAutoscaler or ScaledObject.</summary>
    [JsonPropertyName("kind")]
    [CrdRequired]
    [CrdEnum(AutoscalerKinds.HorizontalPodAutoscaler, AutoscalerKinds.ScaledObject)]
    public string? Kind { get; set; }

    /// <summary>Name of the autoscaler.</summary>
    [JsonPropertyName("name")]
    [CrdRequired]
    public string? Name { get; set; }

    /// <summary>KEDA only: per trigger name, the query to use in the primary's ScaledObject.</summary>
    [JsonPropertyName("primaryScalerQueries")]
    public IDictionary<string, string>? PrimaryScalerQueries { get; set; }

    /// <summary>Replica bounds of the primary's autoscaler, overriding those copied from the target's.</summary>
    [JsonPropertyName("primaryScalerReplicas")]
    public ScalerReplicas? PrimaryScalerReplicas { get; set; }
}

/// <summary>Replica bounds of an autoscaler.</summary>
public sealed class ScalerReplicas
{
    /// <summary>Minimum replicas, at least 1.</summary>
    [JsonPropertyName("minReplicas")]
    public int? MinReplicas { get; set; }

    /// <summary>Maximum replicas, at least 1.</summary>
    [JsonPropertyName("maxReplicas")]
    public int? MaxReplicas { get; set; }
}

/// <summary>Autoscaler kinds accepted in <c>spec.autoscalerRef.kind</c>.</summary>
public static class AutoscalerKinds
{
    public const string HorizontalPodAutoscaler = "HorizontalPodAutoscaler";
    public const string ScaledObject = "ScaledObject";

    /// <summary>Every accepted kind.</summary>
    public static IReadOnlyList<string> All { get; } = [HorizontalPodAutoscaler, ScaledObject];

    /// <summary>
    /// The apiVersions <c>autoscalerRef.apiVersion</c> may name for each kind; an HPA is read as autoscaling/v2 (the same
    /// object the API server serves as v2beta2 on older clusters, which Flagger users still write).
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> ApiVersions { get; } = new Dictionary<string, IReadOnlyList<string>>
    {
        [HorizontalPodAutoscaler] = ["autoscaling/v2", "autoscaling/v2beta2"],
        [ScaledObject] = ["keda.sh/v1alpha1"],
    };
}
