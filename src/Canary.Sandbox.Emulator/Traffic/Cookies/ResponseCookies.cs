using System.Text.Json.Nodes;
using static Canary.Sandbox.Json.KubeJson;

namespace Canary.Sandbox.Traffic.Cookies;

/// <summary>The <c>Set-Cookie</c> response headers a route adds, as Envoy would (header names case-insensitive).</summary>
internal static class ResponseCookies
{
    private const string SetCookie = "Set-Cookie";

    /// <summary>Gateway API: <c>ResponseHeaderModifier</c> filters' <c>add</c> and <c>set</c> entries named Set-Cookie.</summary>
    public static IReadOnlyList<string> FromGatewayFilters(JsonNode? filters) =>
    [
        .. Objects(filters)
            .Where(f => Str(f["type"]) == "ResponseHeaderModifier")
            .SelectMany(f => Objects(f["responseHeaderModifier"]?["add"]).Concat(Objects(f["responseHeaderModifier"]?["set"])))
            .Where(h => string.Equals(Str(h["name"]), SetCookie, StringComparison.OrdinalIgnoreCase))
            .Select(h => Str(h["value"]) ?? string.Empty),
    ];

    /// <summary>Istio: <c>headers.response.add</c> and <c>set</c> maps' Set-Cookie value.</summary>
    public static IReadOnlyList<string> FromIstioHeaders(JsonNode? headers)
    {
        var response = headers?["response"];
        return
        [
            .. new[] { response?["add"], response?["set"] }
                .OfType<JsonObject>()
                .SelectMany(map => map)
                .Where(h => string.Equals(h.Key, SetCookie, StringComparison.OrdinalIgnoreCase))
                .Select(h => Str(h.Value) ?? string.Empty),
        ];
    }
}
