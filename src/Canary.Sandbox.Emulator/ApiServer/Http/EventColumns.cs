using System.Globalization;
using System.Text.Json.Nodes;
using Canary.Sandbox.ApiServer.Store;
using Canary.Sandbox.Json;

namespace Canary.Sandbox.ApiServer.Http;

/// <summary>
/// The Table columns a real server prints for Events (its printEvent handler): Last Seen, Type, Reason, Object, Message,
/// and with -o wide Subobject, Source, First Seen, Count and Name. Reads core/v1 and events.k8s.io/v1 shapes alike,
/// because the real server shows one stored Event the same way through both APIs.
/// </summary>
internal static class EventColumns
{
    public static IReadOnlyList<TableConverter.Column> All { get; } =
    [
        new("Last Seen", "string", 0, (o, now) => LastSeen(o, now)),
        new("Type", "string", 0, (o, _) => Str(o, "type")),
        new("Reason", "string", 0, (o, _) => Str(o, "reason")),
        new("Object", "string", 0, (o, _) => Target(o)),
        new("Subobject", "string", 1, (o, _) => KubeJson.Str(Involved(o), "fieldPath") ?? string.Empty),
        new("Source", "string", 1, (o, _) => Source(o)),
        new("Message", "string", 0, (o, _) => (Str(o, "message") ?? Str(o, "note") ?? string.Empty).Trim()),
        new("First Seen", "string", 1, (o, now) => FirstSeen(o, now)),
        new("Count", "string", 1, (o, _) => Count(o)),
        new("Name", "string", 1, (o, _) => KubeJson.Str(KubeJson.Meta(o), "name")),
    ];

    private static string? Str(JsonObject o, string key) => KubeJson.Str(o, key);

    private static JsonObject? Involved(JsonObject o) => (o["involvedObject"] ?? o["regarding"]) as JsonObject;

    private static string Target(JsonObject o)
    {
        var involved = Involved(o);
        var kind = (KubeJson.Str(involved, "kind") ?? string.Empty).ToLowerInvariant();
        var name = KubeJson.Str(involved, "name");
        return string.IsNullOrEmpty(name) ? kind : $"{kind}/{name}";
    }

    // firstTimestamp, else eventTime (events written through events.k8s.io carry only that).
    private static string? FirstSeen(JsonObject o, DateTimeOffset now) =>
        TableConverter.Age(Str(o, "firstTimestamp") ?? Str(o, "deprecatedFirstTimestamp") ?? Str(o, "eventTime"), now);

    private static string? LastSeen(JsonObject o, DateTimeOffset now)
    {
        if (o["series"] is JsonObject series)
        {
            return TableConverter.Age(KubeJson.Str(series, "lastObservedTime"), now);
        }

        var last = Str(o, "lastTimestamp") ?? Str(o, "deprecatedLastTimestamp");
        return last is null ? FirstSeen(o, now) : TableConverter.Age(last, now);
    }

    // Singleton events written through events.k8s.io have no count: they count as 1.
    private static long Count(JsonObject o)
    {
        if (o["series"] is JsonObject series)
        {
            return KubeJson.LongOrNull(series["count"]) ?? 0;
        }

        var count = KubeJson.LongOrNull(o["count"]) ?? KubeJson.LongOrNull(o["deprecatedCount"]) ?? 0;
        return count == 0 ? 1 : count;
    }

    private static string Source(JsonObject o)
    {
        var source = o["source"] as JsonObject ?? o["deprecatedSource"] as JsonObject;
        var component = FirstNonEmpty(KubeJson.Str(source, "component"), Str(o, "reportingComponent"), Str(o, "reportingController"));
        var instance = FirstNonEmpty(KubeJson.Str(source, "host"), Str(o, "reportingInstance"));
        return string.IsNullOrEmpty(instance) ? component : string.Create(CultureInfo.InvariantCulture, $"{component}, {instance}");
    }

    private static string FirstNonEmpty(params string?[] values) => values.FirstOrDefault(v => !string.IsNullOrEmpty(v)) ?? string.Empty;
}
