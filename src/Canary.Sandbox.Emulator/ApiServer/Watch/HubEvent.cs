using Canary.Sandbox.ApiServer.Store;

namespace Canary.Sandbox.ApiServer.Watch;

/// <summary>A committed change as the hub records it: the new state, and the previous one to judge selector transitions.</summary>
internal sealed record HubEvent(WatchEventType Type, StoredObject Object, StoredObject? Previous)
{
    public long ResourceVersion => Object.ResourceVersion;
}

/// <summary>What a subscriber receives: a change, or a bookmark at a resource version.</summary>
internal readonly record struct WatchItem(WatchEventType Type, StoredObject? Object, long ResourceVersion, bool InitialEventsEnd = false);
