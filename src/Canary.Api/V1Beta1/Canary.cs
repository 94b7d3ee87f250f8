using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Canary.Api.V1Beta1;

/// <summary>A progressive delivery of one workload: how its traffic is shifted and how each step is analysed.</summary>
[KubernetesEntity(Group = KubeGroup, ApiVersion = KubeApiVersion, Kind = KubeKind, PluralName = KubePluralName)]
public sealed class Canary : IKubernetesObject<V1ObjectMeta>, ISpec<CanarySpec>, IStatus<CanaryStatus?>
{
    public const string KubeGroup = CanaryApi.Group;
    public const string KubeApiVersion = CanaryApi.Version;
    public const string KubeKind = "Canary";
    public const string KubePluralName = "canaries";

    /// <summary>APIVersion of this object, canary.dev/v1beta1.</summary>
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = CanaryApi.ApiVersion;

    /// <summary>Kind of this object, Canary.</summary>
    [JsonPropertyName("kind")]
    public string Kind { get; set; } = KubeKind;

    /// <summary>Standard object metadata.</summary>
    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    /// <summary>Desired rollout: target, services, traffic provider and analysis.</summary>
    [JsonPropertyName("spec")]
    public CanarySpec Spec { get; set; } = new();

    /// <summary>Observed state of the rollout, written by the controller.</summary>
    [JsonPropertyName("status")]
    public CanaryStatus? Status { get; set; }
}

/// <summary>A list of <see cref="Canary"/> objects, as returned by list calls.</summary>
public sealed class CanaryList : IKubernetesObject<V1ListMeta>, IItems<Canary>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = CanaryApi.ApiVersion;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "CanaryList";

    [JsonPropertyName("metadata")]
    public V1ListMeta Metadata { get; set; } = new();

    [JsonPropertyName("items")]
    public IList<Canary> Items { get; set; } = [];
}
