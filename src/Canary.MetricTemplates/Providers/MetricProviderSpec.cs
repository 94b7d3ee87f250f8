using Canary.Api.V1Beta1;

namespace Canary.MetricTemplates.Providers;

/// <summary>
/// Everything needed to build a metric provider: a MetricTemplate's <c>spec.provider</c> (or the metrics server of the
/// built-in checks) plus the already read data of its Secret, so this library needs no Kubernetes client.
/// </summary>
public sealed record MetricProviderSpec
{
    private static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> NoHeaders =
        new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>Provider type, e.g. prometheus. Empty means prometheus, as in Flagger.</summary>
    public string Type { get; init; } = MetricProviderTypes.Prometheus;

    /// <summary>Base URL of the backend, e.g. http://prometheus.istio-system:9090.</summary>
    public string? Address { get; init; }

    /// <summary>Extra HTTP headers sent with every query (MetricTemplate <c>spec.provider.headers</c>).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Headers { get; init; } = NoHeaders;

    /// <summary>Skip TLS certificate verification of the backend.</summary>
    public bool InsecureSkipVerify { get; init; }

    /// <summary>Cloud region (CloudWatch only; unused by Prometheus).</summary>
    public string? Region { get; init; }

    /// <summary>Data of the Secret named by <c>spec.provider.secretRef</c>; null when the template has no secretRef.</summary>
    public IReadOnlyDictionary<string, byte[]>? Credentials { get; init; }

    /// <summary>
    /// The metric's window (<c>interval</c>, e.g. 1m): backends that query a time range (Datadog, New Relic, CloudWatch,
    /// ...) end it now and start it this long before. Null: one minute, Flagger's default.
    /// </summary>
    public TimeSpan? Interval { get; init; }

    /// <summary>The window <see cref="Interval"/> gives, one minute by default.</summary>
    public TimeSpan Window => Interval is { } interval && interval > TimeSpan.Zero ? interval : TimeSpan.FromMinutes(1);

    /// <summary>Every value of the Secret as text, so messages can be scrubbed of them.</summary>
    public IEnumerable<string> SecretValues => Credentials?.Values.Select(v => System.Text.Encoding.UTF8.GetString(v).Trim()) ?? [];

    /// <summary>The Secret's value at <paramref name="key"/> (trimmed text), or null when absent or empty.</summary>
    public string? Credential(string key) =>
        Credentials is not null && Credentials.TryGetValue(key, out var bytes) && System.Text.Encoding.UTF8.GetString(bytes).Trim() is { Length: > 0 } value
            ? value
            : null;

    /// <summary>Short description for messages: type and address, never credentials.</summary>
    public string Describe() => string.IsNullOrEmpty(Address) ? EffectiveType : $"{EffectiveType} {Address}";

    /// <summary>The type with Flagger's default applied.</summary>
    public string EffectiveType => string.IsNullOrWhiteSpace(Type) ? MetricProviderTypes.Prometheus : Type.Trim().ToLowerInvariant();

    /// <summary>
    /// The spec of a MetricTemplate's provider. A Prometheus template without an address uses
    /// <paramref name="defaultAddress"/> (the controller's metrics server); Flagger rejects it instead.
    /// </summary>
    public static MetricProviderSpec FromTemplate(MetricTemplate template, IReadOnlyDictionary<string, byte[]>? secretData, string? defaultAddress)
    {
        ArgumentNullException.ThrowIfNull(template);
        var provider = template.Spec.Provider ?? new MetricProvider();
        var spec = new MetricProviderSpec
        {
            Type = provider.Type ?? MetricProviderTypes.Prometheus,
            Address = provider.Address,
            InsecureSkipVerify = provider.InsecureSkipVerify ?? false,
            Region = provider.Region,
            Credentials = secretData,
            Headers = provider.Headers?.ToDictionary(h => h.Key, h => (IReadOnlyList<string>)[.. h.Value], StringComparer.OrdinalIgnoreCase)
                ?? NoHeaders,
        };
        return string.IsNullOrWhiteSpace(spec.Address) && spec.EffectiveType == MetricProviderTypes.Prometheus
            ? spec with { Address = defaultAddress }
            : spec;
    }
}
