using System.Text.Encodings.Web;
using System.Text.Json;

namespace Canary.Sandbox.ApiServer.Store;

/// <summary>Serializer options shared by the store and the HTTP layer.</summary>
internal static class JsonDefaults
{
    // Relaxed escaping keeps '+' and '<' readable in labels and annotations, as Go's encoder would (mostly).
    public static readonly JsonSerializerOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
