using System.Collections;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Canary.Api.Serialization;
using k8s.Models;

namespace Canary.Api.Crd;

/// <summary>
/// Builds structural OpenAPI v3 schemas (apiextensions.k8s.io/v1) from API types by reflection: JSON names from
/// [JsonPropertyName], descriptions from XML docs, constraints from the Crd* attributes. Properties are sorted by name
/// so the output is stable.
/// </summary>
public sealed class SchemaBuilder(XmlDocumentation docs)
{
    /// <summary>Schema of a top-level resource type: apiVersion, kind, metadata (left to the API server), spec, status.</summary>
    public OrderedDictionary<string, object> ForResource(Type resourceType)
    {
        ArgumentNullException.ThrowIfNull(resourceType);
        var schema = ForObject(resourceType);
        Describe(schema, docs.Of(resourceType));
        return schema;
    }

    /// <summary>Schema of any supported CLR type.</summary>
    public OrderedDictionary<string, object> For(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        type = Nullable.GetUnderlyingType(type) ?? type;

        if (type == typeof(string))
        {
            return Node("string");
        }

        if (type == typeof(bool))
        {
            return Node("boolean");
        }

        if (type == typeof(int) || type == typeof(long))
        {
            var node = Node("integer");
            node["format"] = type == typeof(int) ? "int32" : "int64";
            return node;
        }

        if (type == typeof(double) || type == typeof(float))
        {
            var node = Node("number");
            node["format"] = type == typeof(double) ? "double" : "float";
            return node;
        }

        if (type == typeof(DateTime) || type == typeof(DateTimeOffset))
        {
            var node = Node("string");
            node["format"] = "date-time";
            return node;
        }

        if (type.IsEnum)
        {
            var node = Node("string");
            node["enum"] = KubernetesEnumNames.Of(type).ToList();
            return node;
        }

        if (type == typeof(IntOrString))
        {
            return new OrderedDictionary<string, object>
            {
                ["anyOf"] = new List<object> { Node("integer"), Node("string") },
                ["x-kubernetes-int-or-string"] = true,
            };
        }

        if (type == typeof(V1ObjectMeta) || type == typeof(V1ListMeta))
        {
            return Node("object");
        }

        if (type == typeof(V1Condition))
        {
            return ConditionSchema.Build();
        }

        if (typeof(JsonNode).IsAssignableFrom(type) || type == typeof(JsonElement))
        {
            var node = Node("object");
            node["x-kubernetes-preserve-unknown-fields"] = true;
            return node;
        }

        if (DictionaryValueType(type) is { } valueType)
        {
            var node = Node("object");
            node["additionalProperties"] = For(valueType);
            return node;
        }

        if (ElementType(type) is { } elementType)
        {
            var node = Node("array");
            node["items"] = For(elementType);
            return node;
        }

        return type.IsClass ? ForObject(type) : throw new NotSupportedException($"No CRD schema mapping for {type}.");
    }

    private OrderedDictionary<string, object> ForObject(Type type)
    {
        var node = Node("object");
        var properties = new SortedDictionary<string, object>(StringComparer.Ordinal);
        var required = new SortedSet<string>(StringComparer.Ordinal);
        var preserveUnknown = false;

        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetCustomAttribute<JsonExtensionDataAttribute>() is not null)
            {
                preserveUnknown = true;
                continue;
            }

            if (property.GetCustomAttribute<JsonIgnoreAttribute>() is not null || property.GetIndexParameters().Length > 0)
            {
                continue;
            }

            var name = property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(property.Name);
            properties[name] = ForProperty(property);
            if (property.GetCustomAttribute<CrdRequiredAttribute>() is not null)
            {
                required.Add(name);
            }
        }

        if (properties.Count > 0)
        {
            node["properties"] = properties;
        }

        if (required.Count > 0)
        {
            node["required"] = required.ToList();
        }

        if (preserveUnknown)
        {
            node["x-kubernetes-preserve-unknown-fields"] = true;
        }

        return node;
    }

    private OrderedDictionary<string, object> ForProperty(PropertyInfo property)
    {
        var schema = For(property.PropertyType);
        Describe(schema, docs.Of(property));

        if (property.GetCustomAttribute<CrdEnumAttribute>() is { } values)
        {
            schema["enum"] = values.Values.ToList();
        }

        if (property.GetCustomAttribute<CrdPatternAttribute>() is { } pattern)
        {
            schema["pattern"] = pattern.Pattern;
        }

        if (property.GetCustomAttribute<CrdRangeAttribute>() is { } range)
        {
            SetBound(schema, "minimum", range.Minimum);
            SetBound(schema, "maximum", range.Maximum);
        }

        return schema;
    }

    // Description goes right after the type so the YAML reads naturally.
    private static void Describe(OrderedDictionary<string, object> schema, string? description)
    {
        if (!string.IsNullOrEmpty(description))
        {
            schema.Insert(schema.ContainsKey("type") ? 1 : 0, "description", description);
        }
    }

    private static OrderedDictionary<string, object> Node(string type) => new() { ["type"] = type };

    private static Type? DictionaryValueType(Type type) =>
        GenericInterface(type, typeof(IDictionary<,>)) is { } dictionary && dictionary.GetGenericArguments()[0] == typeof(string)
            ? dictionary.GetGenericArguments()[1]
            : null;

    private static Type? ElementType(Type type) =>
        type != typeof(string) && typeof(IEnumerable).IsAssignableFrom(type) && GenericInterface(type, typeof(IEnumerable<>)) is { } enumerable
            ? enumerable.GetGenericArguments()[0]
            : null;

    private static Type? GenericInterface(Type type, Type definition) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == definition
            ? type
            : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == definition);

    // Whole bounds stay integers in the YAML, so the integer fields' schemas read as before.
    private static void SetBound(OrderedDictionary<string, object> schema, string key, double value)
    {
        if (Math.Abs(value) < long.MaxValue && value == Math.Floor(value))
        {
            schema[key] = (long)value;
        }
        else
        {
            schema[key] = value;
        }
    }
}
