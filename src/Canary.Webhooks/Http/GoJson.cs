using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;

namespace Canary.Webhooks.Http;

/// <summary>JSON shaped like Go's encoding/json output: compact, declared field order, non-ASCII kept as UTF-8.</summary>
internal static class GoJson
{
    // HTML-sensitive characters stay escaped (Go escapes <, > and & too); everything else is written as is.
    public static JsonSerializerOptions Options { get; } = new() { Encoder = JavaScriptEncoder.Create(UnicodeRanges.All) };
}
