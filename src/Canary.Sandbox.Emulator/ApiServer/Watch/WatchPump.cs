using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Canary.Sandbox.ApiServer.Resources;
using Canary.Sandbox.ApiServer.Store;

namespace Canary.Sandbox.ApiServer.Watch;

/// <summary>Drives one subscription: yields its events, inserts bookmarks on schedule, and ends at the timeout or drop time.</summary>
internal static class WatchPump
{
    /// <summary>
    /// Yields the subscription's items until the timeout (a final bookmark first, when bookmarks were asked for),
    /// until <paramref name="dropAfter"/> passes (no final bookmark: that is a fault), or until cancelled.
    /// </summary>
    public static async IAsyncEnumerable<WatchItem> RunAsync(
        ObjectStore store,
        WatchSubscription subscription,
        WatchOptions options,
        TimeSpan? dropAfter,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        TimeSpan? interval = options.AllowBookmarks ? options.BookmarkInterval ?? store.BookmarkInterval : null;
        var nextBookmark = interval ?? TimeSpan.MaxValue;
        var reader = subscription.Reader;
        while (!cancellationToken.IsCancellationRequested)
        {
            while (reader.TryRead(out var item))
            {
                yield return item;
            }

            if (reader.Completion.IsCompleted)
            {
                yield break;
            }

            var elapsed = Stopwatch.GetElapsedTime(started);
            if (dropAfter is { } drop && elapsed >= drop)
            {
                yield break;
            }

            if (options.Timeout is { } timeout && elapsed >= timeout)
            {
                if (interval is not null)
                {
                    store.EnqueueBookmark(subscription);
                    while (reader.TryRead(out var item))
                    {
                        yield return item;
                    }
                }

                yield break;
            }

            if (elapsed >= nextBookmark)
            {
                store.EnqueueBookmark(subscription);
                nextBookmark = elapsed + interval!.Value;
                continue;
            }

            var wait = Min(nextBookmark - elapsed, (options.Timeout ?? TimeSpan.MaxValue) - elapsed, (dropAfter ?? TimeSpan.MaxValue) - elapsed);
            using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (wait < TimeSpan.FromDays(1))
            {
                timer.CancelAfter(wait);
            }

            try
            {
                await reader.WaitToReadAsync(timer.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // The wait ended because a bookmark, timeout or drop is due.
            }
        }
    }

    /// <summary>The object of a BOOKMARK event: kind, apiVersion and only metadata.resourceVersion.</summary>
    public static JsonObject BookmarkObject(ResourceType type, WatchItem item)
    {
        var metadata = new JsonObject { ["resourceVersion"] = item.ResourceVersion.ToString(CultureInfo.InvariantCulture) };
        if (item.InitialEventsEnd)
        {
            metadata["annotations"] = new JsonObject { ["k8s.io/initial-events-end"] = "true" };
        }

        return new JsonObject { ["kind"] = type.Kind, ["apiVersion"] = type.GroupVersion, ["metadata"] = metadata };
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b, TimeSpan c) => TimeSpan.FromTicks(Math.Max(0, Math.Min(a.Ticks, Math.Min(b.Ticks, c.Ticks))));
}
