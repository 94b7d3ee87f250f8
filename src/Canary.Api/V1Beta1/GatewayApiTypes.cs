using System.Text.Json.Serialization;
using Canary.Api.Crd;

namespace Canary.Api.V1Beta1;

/// <summary>Gateway API ParentReference: a Gateway (or Service, for GAMMA) the generated HTTPRoute attaches to.</summary>
public sealed class ParentReference
{
    /// <summary>API group of the parent. Default gateway.networking.k8s.io.</summary>
    [JsonPropertyName("group")]
    public string? Group { get; set; }

    /// <summary>Kind of the parent. Default Gateway.</summary>
    [JsonPropertyName("kind")]
    public string? Kind { get; set; }

    /// <summary>Namespace of the parent. Default: the route's namespace.</summary>
    [JsonPropertyName("namespace")]
    public string? Namespace { get; set; }

    /// <summary>Name of the parent.</summary>
    [JsonPropertyName("name")]
    [CrdRequired]
    public string? Name { get; set; }

    /// <summary>Listener (section) of the parent to attach to.</summary>
    [JsonPropertyName("sectionName")]
    public string? SectionName { get; set; }

    /// <summary>Port of the parent to attach to.</summary>
    [JsonPropertyName("port")]
    [CrdRange(1, 65535)]
    public int? Port { get; set; }
}

/// <summary>Gateway API HTTPRequestMirrorFilter: mirror requests to another backend.</summary>
public sealed class HttpRequestMirrorFilter
{
    /// <summary>Backend that receives the mirrored requests.</summary>
    [JsonPropertyName("backendRef")]
    [CrdRequired]
    public BackendObjectReference? BackendRef { get; set; }

    /// <summary>Percentage of requests to mirror (0-100). Default 100.</summary>
    [JsonPropertyName("percent")]
    [CrdRange(0, 100)]
    public int? Percent { get; set; }

    /// <summary>Fraction of requests to mirror, as numerator/denominator.</summary>
    [JsonPropertyName("fraction")]
    public MirrorFraction? Fraction { get; set; }
}

/// <summary>A fraction of requests, numerator/denominator.</summary>
public sealed class MirrorFraction
{
    /// <summary>Numerator of the fraction.</summary>
    [JsonPropertyName("numerator")]
    [CrdRequired]
    public int? Numerator { get; set; }

    /// <summary>Denominator of the fraction. Default 100.</summary>
    [JsonPropertyName("denominator")]
    public int? Denominator { get; set; }
}

/// <summary>Gateway API BackendObjectReference.</summary>
public sealed class BackendObjectReference
{
    /// <summary>API group of the backend. Default: core.</summary>
    [JsonPropertyName("group")]
    public string? Group { get; set; }

    /// <summary>Kind of the backend. Default Service.</summary>
    [JsonPropertyName("kind")]
    public string? Kind { get; set; }

    /// <summary>Name of the backend.</summary>
    [JsonPropertyName("name")]
    [CrdRequired]
    public string? Name { get; set; }

    /// <summary>Namespace of the backend. Default: the route's namespace.</summary>
    [JsonPropertyName("namespace")]
    public string? Namespace { get; set; }

    /// <summary>Port of the backend.</summary>
    [JsonPropertyName("port")]
    [CrdRange(1, 65535)]
    public int? Port { get; set; }
}
