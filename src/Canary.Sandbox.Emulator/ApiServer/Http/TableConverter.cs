using System.Globalization;
using System.Text.Json.Nodes;
using Canary.Sandbox.ApiServer.Resources;
using Canary.Sandbox.ApiServer.Store;
using Canary.Sandbox.Json;

namespace Canary.Sandbox.ApiServer.Http;

/// <summary>
/// Renders objects as a meta.k8s.io/v1 Table (what `kubectl get` asks for): Name, the kind's columns, Age;
/// a CRD's additionalPrinterColumns replace the defaults as they do on a real server.
/// </summary>
internal static class TableConverter
{
    public static JsonObject Render(ResourceType type, IEnumerable<StoredObject> items, string resourceVersion, string? continueToken, string? includeObject, DateTimeOffset now)
    {
        var columns = Columns(type);
        var rows = new JsonArray();
        foreach (var item in items)
        {
            var cells = new JsonArray();
            foreach (var c in columns)
            {
                cells.Add(c.Cell(item.Object, now));
            }

            var row = new JsonObject { ["cells"] = cells };
            if (includeObject != "None")
            {
                row["object"] = includeObject == "Object"
                    ? item.ObjectFor(type)
                    : new JsonObject { ["kind"] = "PartialObjectMetadata", ["apiVersion"] = "meta.k8s.io/v1", ["metadata"] = item.Metadata.DeepClone() };
            }

            rows.Add(row);
        }

        var metadata = new JsonObject { ["resourceVersion"] = resourceVersion };
        if (continueToken is not null)
        {
            metadata["continue"] = continueToken;
        }

        return new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = metadata,
            ["columnDefinitions"] = new JsonArray(columns.Select(c => (JsonNode?)new JsonObject
            {
                ["name"] = c.Name,
                ["type"] = c.Type,
                ["format"] = c.Name == "Name" ? "name" : string.Empty,
                ["description"] = c.Name,
                ["priority"] = c.Priority,
            }).ToArray()),
            ["rows"] = rows,
        };
    }

    private static List<Column> Columns(ResourceType type)
    {
        var name = new Column("Name", "string", 0, (o, _) => KubeJson.Str(KubeJson.Meta(o), "name"));
        var age = new Column("Age", "string", 0, (o, now) => Age(KubeJson.Str(KubeJson.Meta(o), "creationTimestamp"), now));
        if (type.CustomPrinterColumns)
        {
            return [name, .. type.PrinterColumns.Select(p => new Column(p.Name, p.Type == "date" ? "string" : p.Type, p.Priority, (o, now) => Cell(p, o, now)))];
        }

        if (type is { Plural: "events", Group: "" or "events.k8s.io" })
        {
            return [.. EventColumns.All];
        }

        return [name, .. BuiltInColumns(type), age, .. WideColumns(type)];
    }

    // Priority-1 columns (shown by -o wide): the server always sends every cell, kubectl hides the wide ones.
    private static IEnumerable<Column> WideColumns(ResourceType type) => (type.Group, type.Plural) switch
    {
        ("apps", "deployments" or "replicasets" or "daemonsets") =>
        [
            new("Containers", "string", 1, (o, _) => Containers(o, "name")),
            new("Images", "string", 1, (o, _) => Containers(o, "image")),
            new("Selector", "string", 1, (o, _) => LabelSelectorText(o["spec"]?["selector"] as JsonObject)),
        ],
        ("", "pods") =>
        [
            new("IP", "string", 1, (o, _) => NoneIfEmpty(KubeJson.Str(o["status"] as JsonObject, "podIP"))),
            new("Node", "string", 1, (o, _) => NoneIfEmpty(KubeJson.Str(o["spec"] as JsonObject, "nodeName"))),
            new("Nominated Node", "string", 1, (o, _) => NoneIfEmpty(KubeJson.Str(o["status"] as JsonObject, "nominatedNodeName"))),
            new("Readiness Gates", "string", 1, (o, _) => ReadinessGates(o)),
        ],
        ("", "services") => [new("Selector", "string", 1, (o, _) => MapText(o["spec"]?["selector"] as JsonObject))],
        _ => [],
    };

    private static IEnumerable<Column> BuiltInColumns(ResourceType type) => (type.Group, type.Plural) switch
    {
        ("apps", "deployments") =>
        [
            new("Ready", "string", 0, (o, _) => $"{Int(o, ".status.readyReplicas")}/{Int(o, ".spec.replicas")}"),
            new("Up-to-date", "integer", 0, (o, _) => Int(o, ".status.updatedReplicas")),
            new("Available", "integer", 0, (o, _) => Int(o, ".status.availableReplicas")),
        ],
        ("apps", "replicasets") =>
        [
            new("Desired", "integer", 0, (o, _) => Int(o, ".spec.replicas")),
            new("Current", "integer", 0, (o, _) => Int(o, ".status.replicas")),
            new("Ready", "integer", 0, (o, _) => Int(o, ".status.readyReplicas")),
        ],
        ("", "pods") =>
        [
            new("Ready", "string", 0, (o, _) => $"{(o["status"]?["containerStatuses"] as JsonArray)?.Count(c => c?["ready"]?.GetValue<bool>() == true) ?? 0}/{(o["spec"]?["containers"] as JsonArray)?.Count ?? 0}"),
            new("Status", "string", 0, (o, _) => KubeJson.Str(o["status"] as JsonObject, "phase") ?? "Unknown"),
            new("Restarts", "string", 0, (o, _) => Restarts(o)),
        ],
        ("", "services") =>
        [
            new("Type", "string", 0, (o, _) => KubeJson.Str(o["spec"] as JsonObject, "type")),
            new("Cluster-IP", "string", 0, (o, _) => KubeJson.Str(o["spec"] as JsonObject, "clusterIP") ?? "<none>"),
            new("External-IP", "string", 0, (_, _) => "<none>"),
            new("Port(s)", "string", 0, (o, _) => Ports(o)),
        ],
        ("", "configmaps") => [new("Data", "integer", 0, (o, _) => ((o["data"] as JsonObject)?.Count ?? 0) + ((o["binaryData"] as JsonObject)?.Count ?? 0))],
        ("", "secrets") =>
        [
            new("Type", "string", 0, (o, _) => KubeJson.Str(o, "type")),
            new("Data", "integer", 0, (o, _) => (o["data"] as JsonObject)?.Count ?? 0),
        ],
        ("", "namespaces") => [new("Status", "string", 0, (o, _) => KubeJson.Str(o["status"] as JsonObject, "phase"))],
        _ => [],
    };

    private static JsonNode? Cell(PrinterColumn column, JsonObject obj, DateTimeOffset now)
    {
        var value = SimpleJsonPath.Evaluate(obj, column.JsonPath);
        if (value is null)
        {
            return null;
        }

        if (column.Type == "date")
        {
            return Age(value is JsonValue v && v.TryGetValue<string>(out var s) ? s : null, now);
        }

        return value is JsonValue jv && jv.TryGetValue<string>(out var text) ? text : value.DeepClone();
    }

    private static string Restarts(JsonObject pod) =>
        ((pod["status"]?["containerStatuses"] as JsonArray)?.OfType<JsonObject>().Sum(c => KubeJson.LongOrNull(c["restartCount"]) ?? 0) ?? 0)
            .ToString(CultureInfo.InvariantCulture);

    private static string Containers(JsonObject obj, string field)
    {
        var containers = (obj["spec"]?["template"]?["spec"]?["containers"] as JsonArray)?.OfType<JsonObject>().Select(c => KubeJson.Str(c, field) ?? string.Empty).ToList() ?? [];
        return containers.Count == 0 ? "<none>" : string.Join(",", containers);
    }

    // metav1.FormatLabelSelector: "k=v" for matchLabels, "k in (a,b)" style for expressions.
    private static string LabelSelectorText(JsonObject? selector)
    {
        var parts = new List<string>();
        if (selector?["matchLabels"] is JsonObject labels)
        {
            parts.AddRange(labels.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));
        }

        foreach (var e in (selector?["matchExpressions"] as JsonArray)?.OfType<JsonObject>() ?? [])
        {
            var key = KubeJson.Str(e, "key");
            var values = string.Join(",", KubeJson.Strings(e["values"]));
            parts.Add(KubeJson.Str(e, "operator") switch
            {
                "In" => $"{key} in ({values})",
                "NotIn" => $"{key} notin ({values})",
                "Exists" => key ?? string.Empty,
                "DoesNotExist" => $"!{key}",
                var op => $"{key} {op} ({values})",
            });
        }

        return parts.Count == 0 ? "<none>" : string.Join(",", parts);
    }

    private static string MapText(JsonObject? map) =>
        map is null || map.Count == 0 ? "<none>" : string.Join(",", map.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));

    private static string ReadinessGates(JsonObject pod)
    {
        var gates = (pod["spec"]?["readinessGates"] as JsonArray)?.OfType<JsonObject>().Select(g => KubeJson.Str(g, "conditionType")).OfType<string>().ToList() ?? [];
        if (gates.Count == 0)
        {
            return "<none>";
        }

        var conditions = (pod["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
        var ready = gates.Count(g => conditions.Any(c => KubeJson.Str(c, "type") == g && KubeJson.Str(c, "status") == "True"));
        return string.Create(CultureInfo.InvariantCulture, $"{ready}/{gates.Count}");
    }

    private static string NoneIfEmpty(string? text) => string.IsNullOrEmpty(text) ? "<none>" : text;

    private static long Int(JsonObject obj, string path) => KubeJson.LongOrNull(KubeJson.AtPath(obj, path)) ?? 0;

    private static string Ports(JsonObject obj)
    {
        var ports = (obj["spec"]?["ports"] as JsonArray)?.OfType<JsonObject>()
            .Select(p => string.Create(CultureInfo.InvariantCulture, $"{p["port"]}/{KubeJson.Str(p, "protocol") ?? "TCP"}")).ToList() ?? [];
        return ports.Count == 0 ? "<none>" : string.Join(",", ports);
    }

    internal static string? Age(string? timestamp, DateTimeOffset now) =>
        DateTimeOffset.TryParse(timestamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? HumanDuration.Format(now - t) : "<unknown>";

    internal sealed record Column(string Name, string Type, int Priority, Func<JsonObject, DateTimeOffset, JsonNode?> Cell);
}
