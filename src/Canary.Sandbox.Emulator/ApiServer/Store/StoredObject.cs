using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Canary.Sandbox.ApiServer.Resources;
using Canary.Sandbox.Json;

namespace Canary.Sandbox.ApiServer.Store;

/// <summary>
/// One committed version of an object. Immutable once built: the node tree is never modified again and is
/// serialised once, so HTTP reads copy bytes instead of re-serialising and in-process readers get clones.
/// </summary>
internal sealed class StoredObject
{
    public StoredObject(JsonObject obj, long resourceVersion)
    {
        Object = obj;
        ResourceVersion = resourceVersion;
        Metadata = KubeJson.Meta(obj);
        Namespace = KubeJson.Str(Metadata, "namespace") ?? string.Empty;
        Name = KubeJson.Str(Metadata, "name") ?? string.Empty;
        Uid = KubeJson.Str(Metadata, "uid") ?? string.Empty;
        ApiVersion = KubeJson.Str(obj, "apiVersion") ?? string.Empty;

        // Serialising walks the whole tree, which also materialises JsonNode's lazy state before other threads read it.
        Json = JsonSerializer.SerializeToUtf8Bytes(obj, JsonDefaults.Options);
    }

    public JsonObject Object { get; }

    public JsonObject Metadata { get; }

    public byte[] Json { get; }

    public long ResourceVersion { get; }

    public string Namespace { get; }

    public string Name { get; }

    public string Uid { get; }

    public string ApiVersion { get; }

    public JsonObject? Labels => Metadata["labels"] as JsonObject;

    public bool IsDeleting => Metadata["deletionTimestamp"] is not null;

    public IReadOnlyList<string> Finalizers => KubeJson.Strings(Metadata["finalizers"]);

    public IReadOnlyList<string> OwnerUids =>
        (Metadata["ownerReferences"] as JsonArray)?.OfType<JsonObject>().Select(o => KubeJson.Str(o, "uid")).OfType<string>().ToList() ?? [];

    public string ResourceVersionString => ResourceVersion.ToString(CultureInfo.InvariantCulture);

    /// <summary>The serialised object as the given version of its resource presents it.</summary>
    public byte[] JsonFor(ResourceType type) =>
        ApiVersion == type.GroupVersion ? Json : JsonSerializer.SerializeToUtf8Bytes(ObjectFor(type), JsonDefaults.Options);

    /// <summary>A private copy, presented as the given version.</summary>
    public JsonObject ObjectFor(ResourceType type)
    {
        var copy = (JsonObject)Object.DeepClone();
        copy["apiVersion"] = type.GroupVersion;
        return copy;
    }
}
