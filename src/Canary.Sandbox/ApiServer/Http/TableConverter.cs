using System.Globalization;
using System.Text.Json.Nodes;
using Canary.Sandbox.ApiServer.Resources;
using Canary.Sandbox.ApiServer.Store;

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
        var name = new Column("Name", "string", 0, (o, _) => Meta.Str(Meta.Of(o), "name"));
        var age = new Column("Age", "string", 0, (o, now) => Age(Meta.Str(Meta.Of(o), "creationTimestamp"), now));
        if (type.CustomPrinterColumns)
        {
            return [name, .. type.PrinterColumns.Select(p => new Column(p.Name, p.Type == "date" ? "string" : p.Type, p.Priority, (o, now) => Cell(p, o, now)))];
        }

        return [name, .. BuiltInColumns(type), age];
    }

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
            new("Status", "string", 0, (o, _) => Meta.Str(o["status"] as JsonObject, "phase") ?? "Unknown"),
            new("Restarts", "string", 0, (_, _) => "0"),
        ],
        ("", "services") =>
        [
            new("Type", "string", 0, (o, _) => Meta.Str(o["spec"] as JsonObject, "type")),
            new("Cluster-IP", "string", 0, (o, _) => Meta.Str(o["spec"] as JsonObject, "clusterIP") ?? "<none>"),
            new("External-IP", "string", 0, (_, _) => "<none>"),
            new("Port(s)", "string", 0, (o, _) => Ports(o)),
        ],
        ("", "configmaps") => [new("Data", "integer", 0, (o, _) => ((o["data"] as JsonObject)?.Count ?? 0) + ((o["binaryData"] as JsonObject)?.Count ?? 0))],
        ("", "secrets") =>
        [
            new("Type", "string", 0, (o, _) => Meta.Str(o, "type")),
            new("Data", "integer", 0, (o, _) => (o["data"] as JsonObject)?.Count ?? 0),
        ],
        ("", "namespaces") => [new("Status", "string", 0, (o, _) => Meta.Str(o["status"] as JsonObject, "phase"))],
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

    private static long Int(JsonObject obj, string path) => Meta.Long(Meta.AtPath(obj, path)) ?? 0;

    private static string Ports(JsonObject obj)
    {
        var ports = (obj["spec"]?["ports"] as JsonArray)?.OfType<JsonObject>()
            .Select(p => string.Create(CultureInfo.InvariantCulture, $"{p["port"]}/{Meta.Str(p, "protocol") ?? "TCP"}")).ToList() ?? [];
        return ports.Count == 0 ? "<none>" : string.Join(",", ports);
    }

    private static string? Age(string? timestamp, DateTimeOffset now) =>
        DateTimeOffset.TryParse(timestamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? HumanDuration.Format(now - t) : "<unknown>";

    private sealed record Column(string Name, string Type, int Priority, Func<JsonObject, DateTimeOffset, JsonNode?> Cell);
}
