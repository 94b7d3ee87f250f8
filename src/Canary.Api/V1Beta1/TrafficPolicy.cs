using System.Text.Json;
using System.Text.Json.Serialization;

namespace Canary.Api.V1Beta1;

// Istio's DestinationRule TrafficPolicy is large and keeps growing: the documented fields are typed, and any other
// field is kept in AdditionalFields so round trips never drop what a newer Istio accepts (the CRD node preserves
// unknown fields accordingly).

/// <summary>Istio TrafficPolicy copied into the primary and canary DestinationRules.</summary>
public sealed class TrafficPolicy
{
    /// <summary>Connection pool limits per upstream host.</summary>
    [JsonPropertyName("connectionPool")]
    public ConnectionPoolSettings? ConnectionPool { get; set; }

    /// <summary>Load balancing algorithm.</summary>
    [JsonPropertyName("loadBalancer")]
    public LoadBalancerSettings? LoadBalancer { get; set; }

    /// <summary>Circuit breaker ejecting unhealthy hosts.</summary>
    [JsonPropertyName("outlierDetection")]
    public OutlierDetection? OutlierDetection { get; set; }

    /// <summary>TLS settings for connections to the upstream.</summary>
    [JsonPropertyName("tls")]
    public ClientTlsSettings? Tls { get; set; }

    /// <summary>Other Istio TrafficPolicy fields, kept as written.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalFields { get; set; }
}

/// <summary>Istio ConnectionPoolSettings.</summary>
public sealed class ConnectionPoolSettings
{
    /// <summary>HTTP connection pool settings.</summary>
    [JsonPropertyName("http")]
    public HttpConnectionPoolSettings? Http { get; set; }

    /// <summary>Other fields (e.g. tcp), kept as written.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalFields { get; set; }
}

/// <summary>Istio HTTP connection pool settings.</summary>
public sealed class HttpConnectionPoolSettings
{
    /// <summary>Upgrade policy of HTTP/1.1 connections to HTTP/2 (DEFAULT, DO_NOT_UPGRADE, UPGRADE).</summary>
    [JsonPropertyName("h2UpgradePolicy")]
    public string? H2UpgradePolicy { get; set; }

    /// <summary>Maximum pending HTTP requests.</summary>
    [JsonPropertyName("http1MaxPendingRequests")]
    public int? Http1MaxPendingRequests { get; set; }

    /// <summary>Maximum active requests.</summary>
    [JsonPropertyName("http2MaxRequests")]
    public int? Http2MaxRequests { get; set; }

    /// <summary>Idle timeout of upstream connections (duration).</summary>
    [JsonPropertyName("idleTimeout")]
    public string? IdleTimeout { get; set; }

    /// <summary>Maximum requests per connection.</summary>
    [JsonPropertyName("maxRequestsPerConnection")]
    public int? MaxRequestsPerConnection { get; set; }

    /// <summary>Maximum outstanding retries.</summary>
    [JsonPropertyName("maxRetries")]
    public int? MaxRetries { get; set; }

    /// <summary>Other fields, kept as written.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalFields { get; set; }
}

/// <summary>Istio LoadBalancerSettings.</summary>
public sealed class LoadBalancerSettings
{
    /// <summary>Simple algorithm: ROUND_ROBIN, LEAST_REQUEST, RANDOM, PASSTHROUGH, ...</summary>
    [JsonPropertyName("simple")]
    public string? Simple { get; set; }

    /// <summary>Consistent hashing (session affinity by header, cookie, source IP or query parameter).</summary>
    [JsonPropertyName("consistentHash")]
    public ConsistentHashSettings? ConsistentHash { get; set; }

    /// <summary>Locality-weighted load balancing settings, as Istio defines them.</summary>
    [JsonPropertyName("localityLbSetting")]
    public System.Text.Json.Nodes.JsonObject? LocalityLbSetting { get; set; }

    /// <summary>Slow-start window of new endpoints (duration).</summary>
    [JsonPropertyName("warmupDurationSecs")]
    public string? WarmupDurationSecs { get; set; }

    /// <summary>Other fields, kept as written.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalFields { get; set; }
}

/// <summary>Istio ConsistentHashLB.</summary>
public sealed class ConsistentHashSettings
{
    /// <summary>Hash on this request header.</summary>
    [JsonPropertyName("httpHeaderName")]
    public string? HttpHeaderName { get; set; }

    /// <summary>Hash on this cookie (generated when missing).</summary>
    [JsonPropertyName("httpCookie")]
    public HttpCookie? HttpCookie { get; set; }

    /// <summary>Hash on the source IP address.</summary>
    [JsonPropertyName("useSourceIp")]
    public bool? UseSourceIp { get; set; }

    /// <summary>Hash on this query parameter.</summary>
    [JsonPropertyName("httpQueryParameterName")]
    public string? HttpQueryParameterName { get; set; }

    /// <summary>Minimum number of virtual nodes of the hash ring.</summary>
    [JsonPropertyName("minimumRingSize")]
    public long? MinimumRingSize { get; set; }

    /// <summary>Other fields, kept as written.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalFields { get; set; }
}

/// <summary>Cookie used for consistent hashing.</summary>
public sealed class HttpCookie
{
    /// <summary>Name of the cookie.</summary>
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    /// <summary>Path of the cookie.</summary>
    [JsonPropertyName("path")]
    public string? Path { get; set; }

    /// <summary>Lifetime of the cookie (duration).</summary>
    [JsonPropertyName("ttl")]
    public string? Ttl { get; set; }
}

/// <summary>Istio OutlierDetection.</summary>
public sealed class OutlierDetection
{
    /// <summary>Deprecated by Istio: consecutive errors before ejection.</summary>
    [JsonPropertyName("consecutiveErrors")]
    public int? ConsecutiveErrors { get; set; }

    /// <summary>Consecutive 5xx responses before ejection.</summary>
    [JsonPropertyName("consecutive5xxErrors")]
    public int? Consecutive5xxErrors { get; set; }

    /// <summary>Consecutive gateway errors (502, 503, 504) before ejection.</summary>
    [JsonPropertyName("consecutiveGatewayErrors")]
    public int? ConsecutiveGatewayErrors { get; set; }

    /// <summary>Consecutive locally originated failures before ejection.</summary>
    [JsonPropertyName("consecutiveLocalOriginFailures")]
    public int? ConsecutiveLocalOriginFailures { get; set; }

    /// <summary>Count local-origin failures separately from upstream errors.</summary>
    [JsonPropertyName("splitExternalLocalOriginErrors")]
    public bool? SplitExternalLocalOriginErrors { get; set; }

    /// <summary>Interval between ejection sweeps (duration).</summary>
    [JsonPropertyName("interval")]
    public string? Interval { get; set; }

    /// <summary>Minimum ejection duration (duration).</summary>
    [JsonPropertyName("baseEjectionTime")]
    public string? BaseEjectionTime { get; set; }

    /// <summary>Maximum percentage of hosts that can be ejected.</summary>
    [JsonPropertyName("maxEjectionPercent")]
    public int? MaxEjectionPercent { get; set; }

    /// <summary>Outlier detection is disabled below this percentage of healthy hosts.</summary>
    [JsonPropertyName("minHealthPercent")]
    public int? MinHealthPercent { get; set; }

    /// <summary>Other fields, kept as written.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalFields { get; set; }
}

/// <summary>Istio ClientTLSSettings.</summary>
public sealed class ClientTlsSettings
{
    /// <summary>TLS mode: DISABLE, SIMPLE, MUTUAL or ISTIO_MUTUAL.</summary>
    [JsonPropertyName("mode")]
    public string? Mode { get; set; }

    /// <summary>Path of the client certificate (MUTUAL).</summary>
    [JsonPropertyName("clientCertificate")]
    public string? ClientCertificate { get; set; }

    /// <summary>Path of the client private key (MUTUAL).</summary>
    [JsonPropertyName("privateKey")]
    public string? PrivateKey { get; set; }

    /// <summary>Path of the CA certificates used to verify the server.</summary>
    [JsonPropertyName("caCertificates")]
    public string? CaCertificates { get; set; }

    /// <summary>Name of the Secret holding the client certificates.</summary>
    [JsonPropertyName("credentialName")]
    public string? CredentialName { get; set; }

    /// <summary>Subject alternative names accepted from the server.</summary>
    [JsonPropertyName("subjectAltNames")]
    public IList<string>? SubjectAltNames { get; set; }

    /// <summary>SNI sent in the TLS handshake.</summary>
    [JsonPropertyName("sni")]
    public string? Sni { get; set; }

    /// <summary>Other fields, kept as written.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalFields { get; set; }
}
