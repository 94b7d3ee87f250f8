using System.Text.Json;
using System.Text.Json.Serialization;

namespace Canary.LoadTester.Webhooks;

/// <summary>
/// The body Flagger (and Canary) POSTs to a webhook: <c>{name, namespace, phase, checksum, metadata}</c>. Read as Go's
/// <c>encoding/json</c> reads it: unknown fields ignored, field names matched case-insensitively, metadata values must be
/// strings, <c>null</c> is an empty payload.
/// </summary>
public sealed record CanaryWebhookPayload
{
    public string Name { get; init; } = "";

    public string Namespace { get; init; } = "";

    public string Phase { get; init; } = "";

    public string Checksum { get; init; } = "";

    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    /// <summary><c>name.namespace</c>, the key Flagger's tester uses for gates and runs.</summary>
    public string Canary => $"{Name}.{Namespace}";

    /// <summary>Parses <paramref name="body"/>; throws <see cref="JsonException"/> when it is not such a payload.</summary>
    public static CanaryWebhookPayload Parse(ReadOnlySpan<byte> body) =>
        JsonSerializer.Deserialize(body, PayloadJson.Default.CanaryWebhookPayload) ?? new CanaryWebhookPayload();
}

[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(CanaryWebhookPayload))]
internal sealed partial class PayloadJson : JsonSerializerContext;
