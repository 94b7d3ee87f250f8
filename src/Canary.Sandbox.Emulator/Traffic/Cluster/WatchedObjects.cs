using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Canary.Sandbox.ApiServer;
using Canary.Sandbox.ApiServer.Resources;
using Canary.Sandbox.ApiServer.Store;
using Canary.Sandbox.ApiServer.Watch;

namespace Canary.Sandbox.Traffic.Cluster;

/// <summary>
/// A watch-fed, all-namespace copy of one resource (an informer without the API round trips): lists through the
/// initial events, resumes after a version, relists after 410 Gone, and waits for a CRD when the resource is not served.
/// Objects handed out are shared and must be treated as read-only.
/// </summary>
internal sealed class WatchedObjects(ObjectStore store, ServedResourceSignal served, TimeProvider time, params GroupVersionResource[] candidates)
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(200);
    private const string InitialEventsEnd = "k8s.io/initial-events-end";
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, JsonObject>> _byNamespace = new(StringComparer.Ordinal);
    private volatile bool _synced;

    /// <summary>True once the initial state has been read (or the resource is not served, so there is nothing to read).</summary>
    public bool Synced => _synced || !candidates.Any(c => store.Registry.TryGet(c, out _));

    public JsonObject? Get(string ns, string name) =>
        _byNamespace.TryGetValue(ns, out var items) && items.TryGetValue(name, out var obj) ? obj : null;

    public IEnumerable<JsonObject> InNamespace(string ns) =>
        _byNamespace.TryGetValue(ns, out var items) ? items.Values : [];

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        string? resumeFrom = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            var gvr = await served.WaitForAnyAsync(candidates, cancellationToken).ConfigureAwait(false);
            try
            {
                resumeFrom = await WatchAsync(gvr, resumeFrom, cancellationToken).ConfigureAwait(false);
            }
            catch (ApiException e) when (e.Code == 404)
            {
                // The CRD went away between the check and the watch: wait for it again, from a fresh list.
                resumeFrom = null;
            }

            if (!store.Registry.TryGet(gvr, out _))
            {
                // The CRD was deleted (its watches end): a re-created one starts from a fresh list.
                resumeFrom = null;
                continue;
            }

            // A watch that ended on its own is resumed, after a pause so a failing store is not spun on.
            await Task.Delay(RetryDelay, time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Runs one watch; answers the version to resume from, or null to relist.</summary>
    private async Task<string?> WatchAsync(GroupVersionResource gvr, string? resumeFrom, CancellationToken cancellationToken)
    {
        var options = resumeFrom is null
            ? new WatchOptions { AllowBookmarks = true, SendInitialEvents = true }
            : new WatchOptions { AllowBookmarks = true, ResourceVersion = resumeFrom };
        HashSet<string>? listed = resumeFrom is null ? new(StringComparer.Ordinal) : null;
        var version = resumeFrom;
        await foreach (var e in store.WatchAsync(gvr, null, options, cancellationToken).ConfigureAwait(false))
        {
            var metadata = e.Value["metadata"] as JsonObject;
            var ns = metadata?["namespace"]?.GetValue<string>() ?? string.Empty;
            var name = metadata?["name"]?.GetValue<string>() ?? string.Empty;
            switch (e.Type)
            {
                case WatchEventType.Added or WatchEventType.Modified:
                    _byNamespace.GetOrAdd(ns, _ => new(StringComparer.Ordinal))[name] = e.Value;
                    listed?.Add(ns + "/" + name);
                    break;
                case WatchEventType.Deleted:
                    if (_byNamespace.TryGetValue(ns, out var items))
                    {
                        items.TryRemove(name, out _);
                    }

                    break;
                case WatchEventType.Bookmark when listed is not null && EndsInitialEvents(metadata):
                    DropAllBut(listed);
                    listed = null;
                    _synced = true;
                    break;
                case WatchEventType.Error:
                    return null;
            }

            version = metadata?["resourceVersion"]?.GetValue<string>() ?? version;
        }

        return version;
    }

    private static bool EndsInitialEvents(JsonObject? metadata) =>
        metadata?["annotations"] is JsonObject annotations && annotations.ContainsKey(InitialEventsEnd);

    // After a relist, objects deleted while we were not watching are the ones the new list did not mention.
    private void DropAllBut(HashSet<string> listed)
    {
        foreach (var (ns, items) in _byNamespace)
        {
            foreach (var name in items.Keys)
            {
                if (!listed.Contains(ns + "/" + name))
                {
                    items.TryRemove(name, out _);
                }
            }
        }
    }
}
