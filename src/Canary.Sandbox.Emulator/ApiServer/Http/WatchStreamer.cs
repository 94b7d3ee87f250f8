using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Canary.Sandbox.ApiServer.Resources;
using Canary.Sandbox.ApiServer.Store;
using Canary.Sandbox.ApiServer.Watch;
using Microsoft.AspNetCore.Http;

namespace Canary.Sandbox.ApiServer.Http;

/// <summary>Streams a watch as chunked newline-delimited JSON events: {"type":"ADDED","object":{...}}.</summary>
internal static class WatchStreamer
{
    private static readonly byte[] ObjectPrefix = Encoding.UTF8.GetBytes("\",\"object\":");
    private static readonly byte[] TypePrefix = Encoding.UTF8.GetBytes("{\"type\":\"");
    private static readonly byte[] LineEnd = Encoding.UTF8.GetBytes("}\n");

    public static async Task StreamAsync(HttpContext context, ObjectStore store, ResourceType type, string? ns, WatchOptions options, Representation representation, TimeSpan? dropAfter)
    {
        var ct = context.RequestAborted;
        context.Response.StatusCode = 200;
        context.Response.ContentType = Responses.Json;
        WatchSubscription subscription;
        try
        {
            subscription = store.Subscribe(type, ns, options);
        }
        catch (ApiException e) when (e.Code == 410)
        {
            // A real server answers 200 and reports the expired version as the stream's only event.
            await WriteEventAsync(context.Response.Body, "ERROR", JsonSerializer.SerializeToUtf8Bytes(e.ToStatus(), JsonDefaults.Options), ct).ConfigureAwait(false);
            return;
        }

        var started = Stopwatch.GetTimestamp();
        try
        {
            await context.Response.StartAsync(ct).ConfigureAwait(false);
            await context.Response.Body.FlushAsync(ct).ConfigureAwait(false);
            await foreach (var item in WatchPump.RunAsync(store, subscription, options, dropAfter, ct).ConfigureAwait(false))
            {
                var payload = item.Object is null
                    ? JsonSerializer.SerializeToUtf8Bytes(WatchPump.BookmarkObject(type, item), JsonDefaults.Options)
                    : representation switch
                    {
                        Representation.Table => JsonSerializer.SerializeToUtf8Bytes(TableConverter.Render(type, [item.Object], item.Object.ResourceVersionString, null, null, store.Time.GetUtcNow()), JsonDefaults.Options),
                        Representation.Metadata => JsonSerializer.SerializeToUtf8Bytes(Representations.Metadata(item.Object), JsonDefaults.Options),
                        _ => item.Object.JsonFor(type),
                    };
                await WriteEventAsync(context.Response.Body, WatchEventTypes.Wire(item.Type), payload, ct).ConfigureAwait(false);
                if (subscription.Reader.Count == 0)
                {
                    await context.Response.Body.FlushAsync(ct).ConfigureAwait(false);
                }
            }

            if (dropAfter is { } drop && Stopwatch.GetElapsedTime(started) >= drop && !(options.Timeout <= drop))
            {
                // A dropped stream is a cut connection, not a clean end.
                context.Abort();
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The client went away.
        }
        finally
        {
            store.Unsubscribe(type, subscription);
        }
    }

    private static async Task WriteEventAsync(Stream body, string type, byte[] payload, CancellationToken ct)
    {
        await body.WriteAsync(TypePrefix, ct).ConfigureAwait(false);
        await body.WriteAsync(Encoding.UTF8.GetBytes(type), ct).ConfigureAwait(false);
        await body.WriteAsync(ObjectPrefix, ct).ConfigureAwait(false);
        await body.WriteAsync(payload, ct).ConfigureAwait(false);
        await body.WriteAsync(LineEnd, ct).ConfigureAwait(false);
    }
}
