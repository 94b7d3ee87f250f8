using System.Text.Json;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Canary.Controller.Informers;

/// <summary>Any Kubernetes object, kept as metadata plus raw JSON: used for router CRDs we do not model.</summary>
public sealed class GenericObject : IKubernetesObject<V1ObjectMeta>
{
    /// <inheritdoc />
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = string.Empty;

    /// <inheritdoc />
    [JsonPropertyName("kind")]
    public string Kind { get; set; } = string.Empty;

    /// <inheritdoc />
    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    /// <summary>Every other field (spec, status...).</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? Fields { get; set; }
}

/// <summary>A list of <see cref="GenericObject"/>.</summary>
public sealed class GenericObjectList : IKubernetesObject<V1ListMeta>, IItems<GenericObject>
{
    /// <inheritdoc />
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = string.Empty;

    /// <inheritdoc />
    [JsonPropertyName("kind")]
    public string Kind { get; set; } = string.Empty;

    /// <inheritdoc />
    [JsonPropertyName("metadata")]
    public V1ListMeta Metadata { get; set; } = new();

    /// <inheritdoc />
    [JsonPropertyName("items")]
    public IList<GenericObject> Items { get; set; } = [];
}
