using System.Text.Json.Serialization;

namespace Canary.Api.V1Beta1;

/// <summary>Istio StringMatch: exactly one of exact, prefix, suffix or regex.</summary>
public sealed class StringMatch
{
    /// <summary>Exact string match.</summary>
    [JsonPropertyName("exact")]
    public string? Exact { get; set; }

    /// <summary>Prefix match.</summary>
    [JsonPropertyName("prefix")]
    public string? Prefix { get; set; }

    /// <summary>Suffix match (headers only).</summary>
    [JsonPropertyName("suffix")]
    public string? Suffix { get; set; }

    /// <summary>RE2 regular expression match.</summary>
    [JsonPropertyName("regex")]
    public string? Regex { get; set; }
}

/// <summary>Istio HTTPMatchRequest: conditions a request must meet for a route to apply.</summary>
public sealed class HttpMatchRequest
{
    /// <summary>Name of the match, added to the route name in logs.</summary>
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    /// <summary>URI match.</summary>
    [JsonPropertyName("uri")]
    public StringMatch? Uri { get; set; }

    /// <summary>URI scheme match.</summary>
    [JsonPropertyName("scheme")]
    public StringMatch? Scheme { get; set; }

    /// <summary>HTTP method match.</summary>
    [JsonPropertyName("method")]
    public StringMatch? Method { get; set; }

    /// <summary>Authority (Host) match.</summary>
    [JsonPropertyName("authority")]
    public StringMatch? Authority { get; set; }

    /// <summary>Header matches, by lower-case header name.</summary>
    [JsonPropertyName("headers")]
    public IDictionary<string, StringMatch>? Headers { get; set; }

    /// <summary>Destination port of the request.</summary>
    [JsonPropertyName("port")]
    public int? Port { get; set; }

    /// <summary>Labels the calling workload must have.</summary>
    [JsonPropertyName("sourceLabels")]
    public IDictionary<string, string>? SourceLabels { get; set; }

    /// <summary>Gateways the match applies to.</summary>
    [JsonPropertyName("gateways")]
    public IList<string>? Gateways { get; set; }

    /// <summary>Query parameter matches.</summary>
    [JsonPropertyName("queryParams")]
    public IDictionary<string, StringMatch>? QueryParams { get; set; }

    /// <summary>Match the URI case-insensitively.</summary>
    [JsonPropertyName("ignoreUriCase")]
    public bool? IgnoreUriCase { get; set; }

    /// <summary>Headers the request must not match.</summary>
    [JsonPropertyName("withoutHeaders")]
    public IDictionary<string, StringMatch>? WithoutHeaders { get; set; }

    /// <summary>Namespace the calling workload must run in.</summary>
    [JsonPropertyName("sourceNamespace")]
    public string? SourceNamespace { get; set; }
}

/// <summary>Istio HTTPRewrite; Gateway API URLRewrite filter.</summary>
public sealed class HttpRewrite
{
    /// <summary>Replacement for the matched URI path (prefix or full path).</summary>
    [JsonPropertyName("uri")]
    public string? Uri { get; set; }

    /// <summary>Replacement for the Authority/Host header.</summary>
    [JsonPropertyName("authority")]
    public string? Authority { get; set; }

    /// <summary>Gateway API: ReplacePrefixMatch rewrites the prefix, anything else the full path.</summary>
    [JsonPropertyName("type")]
    public string? Type { get; set; }
}

/// <summary>Istio HTTPRetry: retry policy of a route.</summary>
public sealed class HttpRetry
{
    /// <summary>Number of retries.</summary>
    [JsonPropertyName("attempts")]
    public int? Attempts { get; set; }

    /// <summary>Timeout of each attempt (duration, e.g. 2s).</summary>
    [JsonPropertyName("perTryTimeout")]
    public string? PerTryTimeout { get; set; }

    /// <summary>Comma-separated conditions that trigger a retry, e.g. gateway-error,connect-failure.</summary>
    [JsonPropertyName("retryOn")]
    public string? RetryOn { get; set; }
}

/// <summary>Istio Headers: operations on request and response headers.</summary>
public sealed class HeaderOperations
{
    /// <summary>Operations on request headers.</summary>
    [JsonPropertyName("request")]
    public HeaderOperationSet? Request { get; set; }

    /// <summary>Operations on response headers.</summary>
    [JsonPropertyName("response")]
    public HeaderOperationSet? Response { get; set; }
}

/// <summary>Set, add and remove operations on one header collection.</summary>
public sealed class HeaderOperationSet
{
    /// <summary>Headers to overwrite.</summary>
    [JsonPropertyName("set")]
    public IDictionary<string, string>? Set { get; set; }

    /// <summary>Headers to append.</summary>
    [JsonPropertyName("add")]
    public IDictionary<string, string>? Add { get; set; }

    /// <summary>Header names to remove.</summary>
    [JsonPropertyName("remove")]
    public IList<string>? Remove { get; set; }
}

/// <summary>Istio CorsPolicy: cross-origin resource sharing settings.</summary>
public sealed class CorsPolicy
{
    /// <summary>Deprecated by Istio: exact origins allowed.</summary>
    [JsonPropertyName("allowOrigin")]
    public IList<string>? AllowOrigin { get; set; }

    /// <summary>Origins allowed, as string matches.</summary>
    [JsonPropertyName("allowOrigins")]
    public IList<StringMatch>? AllowOrigins { get; set; }

    /// <summary>Methods allowed (Access-Control-Allow-Methods).</summary>
    [JsonPropertyName("allowMethods")]
    public IList<string>? AllowMethods { get; set; }

    /// <summary>Request headers allowed (Access-Control-Allow-Headers).</summary>
    [JsonPropertyName("allowHeaders")]
    public IList<string>? AllowHeaders { get; set; }

    /// <summary>Response headers exposed (Access-Control-Expose-Headers).</summary>
    [JsonPropertyName("exposeHeaders")]
    public IList<string>? ExposeHeaders { get; set; }

    /// <summary>How long preflight results may be cached (duration, e.g. 24h).</summary>
    [JsonPropertyName("maxAge")]
    public string? MaxAge { get; set; }

    /// <summary>Whether credentials may be sent (Access-Control-Allow-Credentials).</summary>
    [JsonPropertyName("allowCredentials")]
    public bool? AllowCredentials { get; set; }
}
