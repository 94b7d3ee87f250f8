using System.Text.Json;
using System.Text.Json.Serialization;
using k8s;

namespace Canary.Api.Serialization;

/// <summary>The one System.Text.Json configuration for Canary API objects (compatible with KubernetesClient's).</summary>
public static class CanaryJson
{
    /// <summary>camelCase names (explicit [JsonPropertyName] wins), nulls omitted, enums as strings, Kubernetes RFC 3339 times.</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>Serialises <paramref name="value"/> with <see cref="Options"/>.</summary>
    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    /// <summary>Deserialises <paramref name="json"/> with <see cref="Options"/>; throws <see cref="JsonException"/> on malformed input.</summary>
    public static T Deserialize<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new JsonException($"JSON 'null' is not a valid {typeof(T).Name}.");

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            Converters =
            {
                new JsonStringEnumConverter(),
                new KubernetesJson.KubernetesDateTimeConverter(),
                new KubernetesJson.KubernetesDateTimeOffsetConverter(),
            },
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
