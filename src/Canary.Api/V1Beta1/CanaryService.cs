using System.Text.Json.Serialization;
using Canary.Api.Crd;
using k8s.Models;

namespace Canary.Api.V1Beta1;

/// <summary>How the apex, primary and canary Services and the provider's routing objects are generated.</summary>
public sealed class CanaryService
{
    /// <summary>Name of the apex Service; the primary and canary Services get -primary and -canary suffixes. Default: targetRef.name.</summary>
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    /// <summary>Port of the generated Services, also the mesh destination port.</summary>
    [JsonPropertyName("port")]
    [CrdRequired]
    [CrdRange(1, 65535)]
    public int? Port { get; set; }

    /// <summary>Name of the Service port. Default http.</summary>
    [JsonPropertyName("portName")]
    public string? PortName { get; set; }

    /// <summary>Container port number or name the Services forward to. Default: port.</summary>
    [JsonPropertyName("targetPort")]
    public IntOrString? TargetPort { get; set; }

    /// <summary>Application protocol of the Service port; with Istio, tcp switches to TCP routes.</summary>
    [JsonPropertyName("appProtocol")]
    public string? AppProtocol { get; set; }

    /// <summary>Traffic distribution preference copied to the generated Services.</summary>
    [JsonPropertyName("trafficDistribution")]
    [CrdEnum("PreferClose", "PreferSameZone", "PreferSameNode")]
    public string? TrafficDistribution { get; set; }

    /// <summary>Add every container port of the target to the generated Services. Default false.</summary>
    [JsonPropertyName("portDiscovery")]
    public bool? PortDiscovery { get; set; }

    /// <summary>Generate headless Services (clusterIP None). Default false.</summary>
    [JsonPropertyName("headless")]
    public bool? Headless { get; set; }

    /// <summary>Request timeout of the generated route (Go duration, e.g. 30s).</summary>
    [JsonPropertyName("timeout")]
    public string? Timeout { get; set; }

    /// <summary>Gateway API only: timeout of each request to a backend (Go duration).</summary>
    [JsonPropertyName("backendTimeout")]
    public string? BackendTimeout { get; set; }

    /// <summary>Istio gateways the VirtualService is bound to. Default [mesh].</summary>
    [JsonPropertyName("gateways")]
    public IList<string>? Gateways { get; set; }

    /// <summary>Gateway API parents of the generated HTTPRoute; required by the gatewayapi providers.</summary>
    [JsonPropertyName("gatewayRefs")]
    public IList<ParentReference>? GatewayRefs { get; set; }

    /// <summary>Host names of the generated route; the apex name is always added for Istio.</summary>
    [JsonPropertyName("hosts")]
    public IList<string>? Hosts { get; set; }

    /// <summary>Istio: generate a delegate VirtualService (hosts and gateways must be empty). Default false.</summary>
    [JsonPropertyName("delegation")]
    public bool? Delegation { get; set; }

    /// <summary>Istio traffic policy copied into the primary and canary DestinationRules.</summary>
    [JsonPropertyName("trafficPolicy")]
    public TrafficPolicy? TrafficPolicy { get; set; }

    /// <summary>Match conditions of the generated route.</summary>
    [JsonPropertyName("match")]
    public IList<HttpMatchRequest>? Match { get; set; }

    /// <summary>URI/authority rewrite applied by the generated route.</summary>
    [JsonPropertyName("rewrite")]
    public HttpRewrite? Rewrite { get; set; }

    /// <summary>Retry policy of the generated route.</summary>
    [JsonPropertyName("retries")]
    public HttpRetry? Retries { get; set; }

    /// <summary>Request and response header operations of the generated route.</summary>
    [JsonPropertyName("headers")]
    public HeaderOperations? Headers { get; set; }

    /// <summary>Gateway API only: static request mirror filters (unrelated to analysis.mirror).</summary>
    [JsonPropertyName("mirror")]
    public IList<HttpRequestMirrorFilter>? Mirror { get; set; }

    /// <summary>Cross-origin resource sharing policy of the generated route.</summary>
    [JsonPropertyName("corsPolicy")]
    public CorsPolicy? CorsPolicy { get; set; }

    /// <summary>App Mesh: name of the mesh.</summary>
    [JsonPropertyName("meshName")]
    public string? MeshName { get; set; }

    /// <summary>App Mesh: virtual service backends of the generated virtual nodes.</summary>
    [JsonPropertyName("backends")]
    public IList<string>? Backends { get; set; }

    /// <summary>Labels and annotations of the apex Service and of the provider's routing object.</summary>
    [JsonPropertyName("apex")]
    public CustomMetadata? Apex { get; set; }

    /// <summary>Labels and annotations of the primary Service.</summary>
    [JsonPropertyName("primary")]
    public CustomMetadata? Primary { get; set; }

    /// <summary>Labels and annotations of the canary Service.</summary>
    [JsonPropertyName("canary")]
    public CustomMetadata? Canary { get; set; }

    /// <summary>Label and annotation keys on generated objects that the controller never adds, changes or removes.</summary>
    [JsonPropertyName("unmanagedMetadata")]
    public UnmanagedMetadata? UnmanagedMetadata { get; set; }
}

/// <summary>Labels and annotations added to a generated object.</summary>
public sealed class CustomMetadata
{
    /// <summary>Labels to set.</summary>
    [JsonPropertyName("labels")]
    public IDictionary<string, string>? Labels { get; set; }

    /// <summary>Annotations to set.</summary>
    [JsonPropertyName("annotations")]
    public IDictionary<string, string>? Annotations { get; set; }
}

/// <summary>Metadata keys owned by someone else, preserved as found.</summary>
public sealed class UnmanagedMetadata
{
    /// <summary>Annotation keys to preserve.</summary>
    [JsonPropertyName("annotations")]
    public IList<string>? Annotations { get; set; }

    /// <summary>Label keys to preserve.</summary>
    [JsonPropertyName("labels")]
    public IList<string>? Labels { get; set; }
}
