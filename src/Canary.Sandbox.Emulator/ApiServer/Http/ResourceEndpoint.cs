using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Canary.Sandbox.ApiServer.Faults;
using Canary.Sandbox.ApiServer.Patching;
using Canary.Sandbox.ApiServer.Resources;
using Canary.Sandbox.ApiServer.Store;
using Microsoft.AspNetCore.Http;

namespace Canary.Sandbox.ApiServer.Http;

/// <summary>Serves the verbs of one resource request (get, list, watch, create, update, patch, delete, deletecollection).</summary>
internal sealed class ResourceEndpoint(ObjectStore store, FaultInjector faults)
{
    private static readonly byte[] ItemsSeparator = ","u8.ToArray();

    /// <summary>The Kubernetes verb of a request, as counters and fault rules name it.</summary>
    public static string Verb(HttpRequest request, ApiPath path) => (request.Method, path.Name) switch
    {
        ("GET", null) => IsTrue(request.Query["watch"]) ? "watch" : "list",
        ("GET", _) => IsTrue(request.Query["watch"]) ? "watch" : "get",
        ("POST", null) => "create",
        ("PUT", not null) => "update",
        ("PATCH", not null) => "patch",
        ("DELETE", null) => "deletecollection",
        ("DELETE", not null) => "delete",
        _ => "unsupported",
    };

    public async Task HandleAsync(HttpContext context, ApiPath path, string verb)
    {
        var type = store.Resolve(new GroupVersionResource(path.Group, path.Version, path.Resource), path.Subresource);
        if (type.Namespaced != (path.Namespace is not null) && !(type.Namespaced && path.Name is null))
        {
            throw new ApiException(404, "NotFound", "the server could not find the requested resource");
        }

        var query = context.Request.Query;
        if (verb is "create" or "update" or "patch" or "delete" or "deletecollection" && query.ContainsKey("dryRun"))
        {
            // Refused rather than ignored: an ignored dry run would really write.
            throw ApiException.BadRequest("dryRun is not supported by the sandbox API server");
        }

        switch (verb)
        {
            case "get":
                await GetAsync(context, type, path).ConfigureAwait(false);
                break;
            case "list":
                await ListAsync(context, type, path).ConfigureAwait(false);
                break;
            case "watch":
                var field = path.Name is null ? query["fieldSelector"].ToString() : $"metadata.name={path.Name}";
                await WatchStreamer.StreamAsync(context, store, type, path.Namespace, WatchOptionsFrom(query, field), Representations.Of(context.Request), faults.DropWatchesAfter).ConfigureAwait(false);
                break;
            case "create" when path.Subresource is null:
                var created = store.CreateStored(type, path.Namespace, await ReadObjectAsync(context).ConfigureAwait(false));
                await Responses.WriteAsync(context, 201, created.JsonFor(type)).ConfigureAwait(false);
                break;
            case "update":
                await UpdateAsync(context, type, path).ConfigureAwait(false);
                break;
            case "patch":
                await PatchAsync(context, type, path).ConfigureAwait(false);
                break;
            case "delete" when path.Subresource is null:
                await DeleteAsync(context, type, path).ConfigureAwait(false);
                break;
            case "deletecollection":
                var options = DeleteOptions.FromJson(await ReadOptionalObjectAsync(context).ConfigureAwait(false));
                var deleted = store.DeleteCollectionStored(type, path.Namespace, ListOptionsFrom(query), options with { PropagationPolicy = options.PropagationPolicy ?? Query(query, "propagationPolicy") });
                await WriteListAsync(context, type, deleted, store.ResourceVersion.ToString(CultureInfo.InvariantCulture), null, null).ConfigureAwait(false);
                break;
            default:
                throw ApiException.MethodNotAllowed($"the server does not allow this method on the requested resource");
        }
    }

    private async Task GetAsync(HttpContext context, ResourceType type, ApiPath path)
    {
        if (path.Subresource == "scale")
        {
            await Responses.WriteAsync(context, 200, store.GetScale(type, path.Namespace, path.Name!)).ConfigureAwait(false);
            return;
        }

        var obj = store.GetStored(type, path.Namespace, path.Name!);
        var representation = path.Subresource is null ? Representations.Of(context.Request) : Representation.Full;
        if (representation == Representation.Metadata)
        {
            await Responses.WriteAsync(context, 200, Representations.Metadata(obj)).ConfigureAwait(false);
            return;
        }

        if (representation == Representation.Table)
        {
            var table = TableConverter.Render(type, [obj], obj.ResourceVersionString, null, Query(context.Request.Query, "includeObject"), store.Time.GetUtcNow());
            await Responses.WriteAsync(context, 200, table).ConfigureAwait(false);
            return;
        }

        await Responses.WriteAsync(context, 200, obj.JsonFor(type)).ConfigureAwait(false);
    }

    private async Task ListAsync(HttpContext context, ResourceType type, ApiPath path)
    {
        var page = store.ListStored(type, path.Namespace, ListOptionsFrom(context.Request.Query));
        var rv = page.ResourceVersion.ToString(CultureInfo.InvariantCulture);
        var representation = Representations.Of(context.Request);
        if (representation == Representation.Metadata)
        {
            await Responses.WriteAsync(context, 200, Representations.MetadataList(page.Items, ListMetadata(rv, page.Continue, page.RemainingItemCount))).ConfigureAwait(false);
            return;
        }

        if (representation == Representation.Table)
        {
            var table = TableConverter.Render(type, page.Items, rv, page.Continue, Query(context.Request.Query, "includeObject"), store.Time.GetUtcNow());
            await Responses.WriteAsync(context, 200, table).ConfigureAwait(false);
            return;
        }

        await WriteListAsync(context, type, page.Items, rv, page.Continue, page.RemainingItemCount).ConfigureAwait(false);
    }

    // Items are copied as stored bytes: a list costs no re-serialisation.
    private static async Task WriteListAsync(HttpContext context, ResourceType type, IReadOnlyList<StoredObject> items, string rv, string? continueToken, long? remaining)
    {
        var metadata = ListMetadata(rv, continueToken, remaining);
        var head = $"{{\"kind\":\"{type.ListKind}\",\"apiVersion\":\"{type.GroupVersion}\",\"metadata\":{metadata.ToJsonString(JsonDefaults.Options)},\"items\":[";
        using var buffer = new MemoryStream();
        buffer.Write(Encoding.UTF8.GetBytes(head));
        for (var i = 0; i < items.Count; i++)
        {
            if (i > 0)
            {
                buffer.Write(ItemsSeparator);
            }

            buffer.Write(items[i].JsonFor(type));
        }

        buffer.Write("]}"u8);
        await Responses.WriteAsync(context, 200, buffer.ToArray()).ConfigureAwait(false);
    }

    private static JsonObject ListMetadata(string rv, string? continueToken, long? remaining)
    {
        var metadata = new JsonObject { ["resourceVersion"] = rv };
        if (continueToken is not null)
        {
            metadata["continue"] = continueToken;
            metadata["remainingItemCount"] = remaining;
        }

        return metadata;
    }

    private async Task UpdateAsync(HttpContext context, ResourceType type, ApiPath path)
    {
        var body = await ReadObjectAsync(context).ConfigureAwait(false);
        if (path.Subresource == "scale")
        {
            await Responses.WriteAsync(context, 200, store.UpdateScale(type, path.Namespace, path.Name!, body)).ConfigureAwait(false);
            return;
        }

        var updated = store.UpdateStored(type, path.Namespace, path.Name!, body, path.Subresource);
        await Responses.WriteAsync(context, 200, updated.JsonFor(type)).ConfigureAwait(false);
    }

    private async Task PatchAsync(HttpContext context, ResourceType type, ApiPath path)
    {
        var patchType = PatchTypes.FromContentType(context.Request.ContentType);
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var text = await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
        var patch = (patchType == PatchType.Apply ? YamlToJson.Parse(text) : JsonNode.Parse(text))
            ?? throw ApiException.BadRequest("the patch is empty");
        if (path.Subresource == "scale")
        {
            await Responses.WriteAsync(context, 200, store.PatchScale(type, path.Namespace, path.Name!, patchType, patch)).ConfigureAwait(false);
            return;
        }

        var createdByApply = patchType == PatchType.Apply && !store.Exists(type, path.Namespace, path.Name!);
        var patched = store.PatchStored(type, path.Namespace, path.Name!, patchType, patch, path.Subresource);
        await Responses.WriteAsync(context, createdByApply ? 201 : 200, patched.JsonFor(type)).ConfigureAwait(false);
    }

    private async Task DeleteAsync(HttpContext context, ResourceType type, ApiPath path)
    {
        var options = DeleteOptions.FromJson(await ReadOptionalObjectAsync(context).ConfigureAwait(false));
        options = options with { PropagationPolicy = options.PropagationPolicy ?? Query(context.Request.Query, "propagationPolicy") };
        var (obj, removed) = store.DeleteStored(type, path.Namespace, path.Name!, options);
        if (removed && !type.ReturnsDeletedObject)
        {
            var status = new JsonObject
            {
                ["kind"] = "Status",
                ["apiVersion"] = "v1",
                ["metadata"] = new JsonObject(),
                ["status"] = "Success",
                ["details"] = new JsonObject { ["name"] = obj.Name, ["group"] = type.Group, ["kind"] = type.Plural, ["uid"] = obj.Uid },
            };
            await Responses.WriteAsync(context, 200, status).ConfigureAwait(false);
            return;
        }

        await Responses.WriteAsync(context, 200, obj.JsonFor(type)).ConfigureAwait(false);
    }

    private static async Task<JsonObject> ReadObjectAsync(HttpContext context) =>
        await ReadOptionalObjectAsync(context).ConfigureAwait(false) ?? throw ApiException.BadRequest("the request body must be a JSON object");

    private static async Task<JsonObject?> ReadOptionalObjectAsync(HttpContext context)
    {
        var contentType = context.Request.ContentType ?? string.Empty;
        if (contentType.Contains("protobuf", StringComparison.OrdinalIgnoreCase))
        {
            // kubectl's generator commands (create namespace/configmap/secret) send protobuf and do not fall back to JSON.
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
            return buffer.Length == 0 ? null : ProtobufBodies.Decode(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
        }

        if (contentType.Contains("cbor", StringComparison.OrdinalIgnoreCase))
        {
            // Only JSON, YAML and (for a few kinds) protobuf bodies are understood.
            throw new ApiException(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: application/json, application/yaml (got {contentType})");
        }

        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var text = await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var node = context.Request.ContentType?.Contains("yaml", StringComparison.OrdinalIgnoreCase) == true ? YamlToJson.Parse(text) : JsonNode.Parse(text);
        return node as JsonObject ?? throw ApiException.BadRequest("the request body must be a JSON object");
    }

    private static ListOptions ListOptionsFrom(IQueryCollection query) => new()
    {
        LabelSelector = Query(query, "labelSelector"),
        FieldSelector = Query(query, "fieldSelector"),
        Limit = int.TryParse(Query(query, "limit"), NumberStyles.None, CultureInfo.InvariantCulture, out var limit) ? limit : null,
        Continue = Query(query, "continue"),
    };

    private static WatchOptions WatchOptionsFrom(IQueryCollection query, string? fieldSelector) => new()
    {
        ResourceVersion = Query(query, "resourceVersion"),
        LabelSelector = Query(query, "labelSelector"),
        FieldSelector = string.IsNullOrEmpty(fieldSelector) ? null : fieldSelector,
        AllowBookmarks = IsTrue(query["allowWatchBookmarks"]),
        SendInitialEvents = IsTrue(query["sendInitialEvents"]),
        Timeout = int.TryParse(Query(query, "timeoutSeconds"), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? TimeSpan.FromSeconds(seconds)
            : null,
    };

    private static bool IsTrue(Microsoft.Extensions.Primitives.StringValues value) => value.ToString() is "true" or "1";

    private static string? Query(IQueryCollection query, string key) => query.TryGetValue(key, out var v) && v.Count > 0 && !string.IsNullOrEmpty(v[0]) ? v[0] : null;
}
