using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Canary.Api.Serialization;

/// <summary>
/// String enum converter that honours <see cref="JsonStringEnumMemberNameAttribute"/> including the empty name, which
/// Kubernetes APIs use (phase "") but System.Text.Json's own enum converter rejects.
/// </summary>
public sealed class KubernetesEnumConverter<TEnum> : JsonConverter<TEnum>
    where TEnum : struct, Enum
{
    public override TEnum Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        return text is not null && KubernetesEnumNames.TryParse<TEnum>(text, out var value)
            ? value
            : throw new JsonException(
                $"'{text}' is not a valid {typeof(TEnum).Name}; expected one of: {string.Join(", ", KubernetesEnumNames.Of<TEnum>().Select(n => $"\"{n}\""))}.");
    }

    public override void Write(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(KubernetesEnumNames.NameOf(value));
    }
}

/// <summary>Serialised names of enums, from <see cref="JsonStringEnumMemberNameAttribute"/> or the member name.</summary>
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
            .Select(f => (f.GetValue(null)!, f.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? f.Name))]);
}
