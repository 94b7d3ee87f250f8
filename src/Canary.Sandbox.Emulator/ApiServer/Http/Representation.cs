using System.Text.Json.Nodes;
using Canary.Sandbox.ApiServer.Store;
using Microsoft.AspNetCore.Http;

namespace Canary.Sandbox.ApiServer.Http;

/// <summary>
/// What a read asked for in its Accept header, as a real API server understands it: the objects themselves, a Table
/// (<c>as=Table</c>, kubectl get), or their metadata only (<c>as=PartialObjectMetadata[List]</c>, the form metadata
/// informers use to watch a kind without holding its contents, such as Secrets).
/// </summary>
internal enum Representation
{
    /// <summary>The objects as stored.</summary>
    Full,

    /// <summary>meta.k8s.io/v1 Table.</summary>
    Table,

    /// <summary>meta.k8s.io/v1 PartialObjectMetadata (List).</summary>
    Metadata,
}

/// <summary>Reads the <see cref="Representation"/> a request asked for and renders objects in the metadata form.</summary>
internal static class Representations
{
    /// <summary>The representation named by the Accept header (Full when none is named).</summary>
    public static Representation Of(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var accept = request.Headers.Accept.ToString();
        return accept.Contains("as=Table", StringComparison.Ordinal) ? Representation.Table
            : accept.Contains("as=PartialObjectMetadata", StringComparison.Ordinal) ? Representation.Metadata
            : Representation.Full;
    }

    /// <summary>One object as PartialObjectMetadata: its metadata and nothing else.</summary>
    public static JsonObject Metadata(StoredObject item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return new JsonObject { ["kind"] = "PartialObjectMetadata", ["apiVersion"] = "meta.k8s.io/v1", ["metadata"] = item.Metadata.DeepClone() };
    }

    /// <summary>A list page as PartialObjectMetadataList.</summary>
    public static JsonObject MetadataList(IEnumerable<StoredObject> items, JsonObject listMetadata) => new()
    {
        ["kind"] = "PartialObjectMetadataList",
        ["apiVersion"] = "meta.k8s.io/v1",
        ["metadata"] = listMetadata,
        ["items"] = new JsonArray([.. items.Select(i => (JsonNode)Metadata(i))]),
    };
}
