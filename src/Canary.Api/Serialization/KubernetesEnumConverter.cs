using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Canary.Api.Serialization;

/// <summary>
/// String enum converter that honours <see cref="JsonStringEnumMemberNameAttribute"/> including the empty name, which
/// Kubernetes APIs use (phase "") but System.Text.Json's own enum converter rejects. Handles <typeparamref name="TEnum"/>
/// and its nullable form, so it can sit on a <c>TEnum?</c> property, where it takes precedence over the enum converters
/// of any options (ours or KubernetesClient's).
/// </summary>
public sealed class KubernetesEnumConverter<TEnum> : JsonConverterFactory
    where TEnum : struct, Enum
{
    public override bool CanConvert(Type typeToConvert) => typeToConvert == typeof(TEnum) || typeToConvert == typeof(TEnum?);

    public override JsonConverter? CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        typeToConvert == typeof(TEnum) ? new ValueConverter() : new NullableConverter();

    private static TEnum ReadValue(ref Utf8JsonReader reader)
    {
        var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        return text is not null && KubernetesEnumNames.TryParse<TEnum>(text, out var value)
            ? value
            : throw new JsonException(
                $"'{text}' is not a valid {typeof(TEnum).Name}; expected one of: {string.Join(", ", KubernetesEnumNames.Of<TEnum>().Select(n => $"\"{n}\""))}.");
    }

    private sealed class ValueConverter : JsonConverter<TEnum>
    {
        public override TEnum Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => ReadValue(ref reader);

        public override void Write(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options) =>
            writer.WriteStringValue(KubernetesEnumNames.NameOf(value));
    }

    private sealed class NullableConverter : JsonConverter<TEnum?>
    {
        public override bool HandleNull => true;

        public override TEnum? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.Null ? null : ReadValue(ref reader);

        public override void Write(Utf8JsonWriter writer, TEnum? value, JsonSerializerOptions options)
        {
            if (value is { } v)
            {
                writer.WriteStringValue(KubernetesEnumNames.NameOf(v));
            }
            else
            {
                writer.WriteNullValue();
            }
        }
    }
}

/// <summary>
/// Wire name of an enum member for <see cref="KubernetesEnumConverter{TEnum}"/>. Unlike
/// <see cref="JsonStringEnumMemberNameAttribute"/> it may be empty: System.Text.Json validates that attribute even when
/// another converter is used, so an empty name there would break any options with a JsonStringEnumConverter.
/// </summary>
[AttributeUsage(AttributeTargets.Field)]
public sealed class WireNameAttribute(string name) : Attribute
{
    /// <summary>The serialised name.</summary>
    public string Name { get; } = name;
}

/// <summary>Serialised names of enums: <see cref="WireNameAttribute"/>, <see cref="JsonStringEnumMemberNameAttribute"/> or the member name.</summary>
public static class KubernetesEnumNames
{
    private static readonly ConcurrentDictionary<Type, IReadOnlyList<(object Value, string Name)>> Cache = new();

    /// <summary>The serialised names of <typeparamref name="TEnum"/> in declaration order (used for CRD enums).</summary>
    public static IReadOnlyList<string> Of<TEnum>()
        where TEnum : struct, Enum => Of(typeof(TEnum));

    /// <summary>The serialised names of <paramref name="enumType"/> in declaration order.</summary>
    public static IReadOnlyList<string> Of(Type enumType) => [.. Members(enumType).Select(m => m.Name)];

    /// <summary>The serialised name of <paramref name="value"/>.</summary>
    public static string NameOf<TEnum>(TEnum value)
        where TEnum : struct, Enum =>
        Members(typeof(TEnum)).FirstOrDefault(m => m.Value.Equals(value)).Name ?? value.ToString();

    /// <summary>Finds the member whose serialised name is exactly <paramref name="name"/>.</summary>
    public static bool TryParse<TEnum>(string name, out TEnum value)
        where TEnum : struct, Enum
    {
        foreach (var member in Members(typeof(TEnum)))
        {
            if (string.Equals(member.Name, name, StringComparison.Ordinal))
            {
                value = (TEnum)member.Value;
                return true;
            }
        }

        value = default;
        return false;
    }

    private static IReadOnlyList<(object Value, string Name)> Members(Type enumType) =>
        Cache.GetOrAdd(enumType, static t => [.. t.GetFields(BindingFlags.Public | BindingFlags.Static)
            .OrderBy(f => f.MetadataToken)
            .Select(f => (f.GetValue(null)!, f.GetCustomAttribute<WireNameAttribute>()?.Name ?? f.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? f.Name))]);
}
