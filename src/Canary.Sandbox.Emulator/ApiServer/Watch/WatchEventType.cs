namespace Canary.Sandbox.ApiServer.Watch;

/// <summary>The type field of a watch event, spelt as on the wire by <see cref="WatchEventTypes.Wire"/>.</summary>
public enum WatchEventType
{
    Added,
    Modified,
    Deleted,
    Bookmark,
    Error,
}

/// <summary>Wire names of watch event types.</summary>
public static class WatchEventTypes
{
    public static string Wire(WatchEventType type) => type switch
    {
        WatchEventType.Added => "ADDED",
        WatchEventType.Modified => "MODIFIED",
        WatchEventType.Deleted => "DELETED",
        WatchEventType.Bookmark => "BOOKMARK",
        _ => "ERROR",
    };
}
