using System.Text.Json.Serialization;
using k8s.Models;

namespace Canary.Api.V1Beta1;

/// <summary>Status of MetricTemplate and AlertProvider objects: conditions and the generation they describe.</summary>
public sealed class ResourceStatus
{
    /// <summary>Conditions of the object (e.g. Ready).</summary>
    [JsonPropertyName("conditions")]
    public IList<V1Condition>? Conditions { get; set; }

    /// <summary>metadata.generation this status describes.</summary>
    [JsonPropertyName("observedGeneration")]
    public long? ObservedGeneration { get; set; }
}
