using System.Globalization;
using System.Text.Json.Nodes;
using Canary.Sandbox.ApiServer.Resources;

namespace Canary.Sandbox.ApiServer.Selectors;

/// <summary>
/// The field labels a real API server (1.32) lets a field selector use, per kind, and how each reads its value from an
/// object. Every kind has metadata.name and metadata.namespace; a few built-ins add their own (the fields their
/// registry's ToSelectableFields exposes); custom resources get only the metadata ones.
/// </summary>
internal static class SelectableFields
{
    private static readonly Dictionary<string, Func<JsonObject, string>> Metadata = new(StringComparer.Ordinal)
    {
        ["metadata.name"] = o => Text(At(o, "metadata", "name")),
        ["metadata.namespace"] = o => Text(At(o, "metadata", "namespace")),
    };

    private static readonly Dictionary<(string Group, string Resource), Dictionary<string, Func<JsonObject, string>>> ByResource = new()
    {
        [(string.Empty, "events")] = WithMetadata(new()
        {
            ["involvedObject.kind"] = o => Text(At(o, "involvedObject", "kind")),
            ["involvedObject.namespace"] = o => Text(At(o, "involvedObject", "namespace")),
            ["involvedObject.name"] = o => Text(At(o, "involvedObject", "name")),
            ["involvedObject.uid"] = o => Text(At(o, "involvedObject", "uid")),
            ["involvedObject.apiVersion"] = o => Text(At(o, "involvedObject", "apiVersion")),
            ["involvedObject.resourceVersion"] = o => Text(At(o, "involvedObject", "resourceVersion")),
            ["involvedObject.fieldPath"] = o => Text(At(o, "involvedObject", "fieldPath")),
            ["reason"] = o => Text(o["reason"]),
            ["reportingComponent"] = o => Text(o["reportingComponent"]),

            // The server falls back to the reporting controller when source.component is empty (events written through events.k8s.io).
            ["source"] = o => Text(At(o, "source", "component")) is { Length: > 0 } component ? component : Text(o["reportingComponent"]),
            ["type"] = o => Text(o["type"]),
        }),
        [("events.k8s.io", "events")] = WithMetadata(new()
        {
            ["regarding.kind"] = o => Text(At(o, "regarding", "kind")),
            ["regarding.namespace"] = o => Text(At(o, "regarding", "namespace")),
            ["regarding.name"] = o => Text(At(o, "regarding", "name")),
            ["regarding.uid"] = o => Text(At(o, "regarding", "uid")),
            ["regarding.apiVersion"] = o => Text(At(o, "regarding", "apiVersion")),
            ["regarding.resourceVersion"] = o => Text(At(o, "regarding", "resourceVersion")),
            ["regarding.fieldPath"] = o => Text(At(o, "regarding", "fieldPath")),
            ["reason"] = o => Text(o["reason"]),
            ["reportingController"] = o => Text(o["reportingController"]),
            ["type"] = o => Text(o["type"]),
        }),
        [(string.Empty, "pods")] = WithMetadata(new()
        {
            ["spec.nodeName"] = o => Text(At(o, "spec", "nodeName")),

            // Old v1 clients' name for spec.nodeName, still converted by the real server.
            ["spec.host"] = o => Text(At(o, "spec", "nodeName")),
            ["spec.restartPolicy"] = o => Text(At(o, "spec", "restartPolicy")),
            ["spec.schedulerName"] = o => Text(At(o, "spec", "schedulerName")),
            ["spec.serviceAccountName"] = o => Text(At(o, "spec", "serviceAccountName")),
            ["spec.hostNetwork"] = o => Text(At(o, "spec", "hostNetwork")) is { Length: > 0 } host ? host : "false",
            ["status.phase"] = o => Text(At(o, "status", "phase")),

            // The real server selects on the first of status.podIPs (status.podIP mirrors it).
            ["status.podIP"] = o => Text((At(o, "status", "podIPs") as JsonArray) is [JsonObject first, ..] ? first["ip"] : null) is { Length: > 0 } ip ? ip : Text(At(o, "status", "podIP")),
            ["status.nominatedNodeName"] = o => Text(At(o, "status", "nominatedNodeName")),
        }),
        [(string.Empty, "secrets")] = WithMetadata(new() { ["type"] = o => Text(o["type"]) }),
        [("apps", "replicasets")] = WithMetadata(new() { ["status.replicas"] = o => Text(At(o, "status", "replicas")) is { Length: > 0 } n ? n : "0" }),

        // Cluster-scoped with its own conversion: metadata.namespace is refused for namespaces.
        [(string.Empty, "namespaces")] = new(StringComparer.Ordinal)
        {
            ["metadata.name"] = Metadata["metadata.name"],
            ["status.phase"] = o => Text(At(o, "status", "phase")),
        },
    };

    /// <summary>How to read <paramref name="label"/> from objects of <paramref name="type"/> (null: metadata fields only).</summary>
    public static Func<JsonObject, string> Resolve(ResourceType? type, string label)
    {
        var fields = type is { IsCustom: false } && ByResource.TryGetValue(type.StorageKey, out var known) ? known : Metadata;

        // Same text as the real server's field label conversion error.
        return fields.TryGetValue(label, out var read) ? read : throw ApiException.BadRequest($"field label not supported: {label}");
    }

    private static Dictionary<string, Func<JsonObject, string>> WithMetadata(Dictionary<string, Func<JsonObject, string>> specific)
    {
        var all = new Dictionary<string, Func<JsonObject, string>>(Metadata, StringComparer.Ordinal);
        foreach (var (label, read) in specific)
        {
            all[label] = read;
        }

        return all;
    }

    // Malformed objects (a string where an object belongs) read as absent rather than failing the request.
    private static JsonNode? At(JsonObject obj, string first, string second) => (obj[first] as JsonObject)?[second];

    // Absent fields select as "", as Go's zero values do; numbers and booleans as their text.
    private static string Text(JsonNode? node) => node switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v when v.TryGetValue<bool>(out var b) => b ? "true" : "false",
        JsonValue v when v.TryGetValue<long>(out var l) => l.ToString(CultureInfo.InvariantCulture),
        JsonValue v when v.TryGetValue<double>(out var d) => d.ToString(CultureInfo.InvariantCulture),
        _ => string.Empty,
    };
}
