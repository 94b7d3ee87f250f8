using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Canary.Sandbox.Traffic.Podinfo;

/// <summary>What a simulated pod answers to one request, before its own sampled latency is added.</summary>
/// <param name="Status">HTTP status code.</param>
/// <param name="Body">Response body (empty for none).</param>
/// <param name="ContentType">Content-Type header, or null to send none.</param>
/// <param name="Delay">Time the handler itself waits (<c>/delay/{seconds}</c>), on top of the pod's latency.</param>
public sealed record PodinfoResponse(int Status, string Body, string? ContentType, TimeSpan Delay);

/// <summary>
/// The routes of podinfo (stefanprodan/podinfo, <c>pkg/api/http</c>) that Flagger's e2e tests use to make a release
/// fail, slow down or pass its acceptance test: <c>/status/{code}</c>, <c>/delay/{seconds}</c>, <c>POST /token</c>,
/// <c>/healthz</c>, <c>/readyz</c>. Methods as podinfo's gorilla/mux router registers them (another method: 405 with
/// an empty body); JSON as podinfo writes it (2-space indent, no trailing newline). Any other path answers 200
/// <c>ok</c> as a generic pod: podinfo's other routes are not modelled.
/// </summary>
public static class PodinfoApi
{
    /// <summary>Content type of podinfo's JSON answers.</summary>
    public const string JsonContentType = "application/json; charset=utf-8";

    /// <summary>HS256 key of the tokens minted by <c>POST /token</c> (podinfo's <c>--jwt-secret</c>), fixed in the sandbox.</summary>
    public const string JwtSecret = "canary-sandbox-podinfo";

    /// <summary>Longest <c>/delay</c> accepted: a timer cannot wait much beyond 49 days, and no test needs more than a day.</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromDays(1);

    private static readonly JsonWriterOptions Indented = new() { Indented = true, IndentSize = 2, NewLine = "\n" };

    // podinfo's token header, as golang-jwt writes it.
    private static readonly string JwtHeader = Base64Url.EncodeToString("""{"alg":"HS256","typ":"JWT"}"""u8);

    /// <summary>The answer of a pod that fails the request (its error rate): 500 whatever the path, as a bug in the new version would.</summary>
    public static PodinfoResponse SimulatedError { get; } = new(500, "simulated error\n", null, TimeSpan.Zero);

    /// <summary>The answer of a path podinfo's modelled routes do not cover.</summary>
    public static PodinfoResponse Ok { get; } = new(200, "ok\n", null, TimeSpan.Zero);

    /// <summary>
    /// What podinfo answers to <paramref name="method"/> <paramref name="path"/> (no query string) with request body
    /// <paramref name="body"/> at <paramref name="now"/> (the token's expiry is one minute later).
    /// </summary>
    public static PodinfoResponse Handle(string method, string path, string body, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(body);
        switch (path)
        {
            case "/healthz" or "/readyz":
                // The simulated pod is healthy and ready whenever it serves at all (an unready pod gets no traffic).
                return Allows(method, "GET") ? Json(200, w => w.WriteString("status", "OK")) : MethodNotAllowed;
            case "/token":
                return Allows(method, "POST") ? Token(body, now) : MethodNotAllowed;
        }

        if (Parameter(path, "/status/") is { } code)
        {
            return !Allows(method, "GET", "POST", "PUT") ? MethodNotAllowed : Status(code);
        }

        if (Parameter(path, "/delay/") is { } seconds)
        {
            return !Allows(method, "GET") ? MethodNotAllowed : Delay(seconds);
        }

        return Ok;
    }

    // gorilla/mux answers a path matching a route under another method with a bare 405.
    private static PodinfoResponse MethodNotAllowed { get; } = new(405, string.Empty, null, TimeSpan.Zero);

    private static bool Allows(string method, params ReadOnlySpan<string> allowed)
    {
        foreach (var m in allowed)
        {
            if (string.Equals(method, m, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    // The one segment after prefix ("/status/{code}"), or null when the path has another shape.
    private static string? Parameter(string path, string prefix) =>
        path.StartsWith(prefix, StringComparison.Ordinal) && path.Length > prefix.Length && path.IndexOf('/', prefix.Length) < 0
            ? path[prefix.Length..]
            : null;

    // podinfo echoes the code (Go accepts 100-999 and drops the connection otherwise); the sandbox takes 100-599
    // and answers anything else 400. A 1xx is answered 200 with the body, as Go's net/http ends up doing after the
    // interim response (not sent here).
    private static PodinfoResponse Status(string text)
    {
        if (!TryParseDigits(text, out var code) || code is < 100 or > 599)
        {
            return Error($"invalid status code {text}: use 100-599");
        }

        return Json(code < 200 ? 200 : code, w => w.WriteNumber("status", code));
    }

    private static PodinfoResponse Delay(string text)
    {
        if (!TryParseDigits(text, out var seconds) || TimeSpan.FromSeconds(seconds) > MaxDelay)
        {
            return Error($"invalid delay {text}: use 0-{MaxDelay.TotalSeconds:0} seconds");
        }

        return Json(200, w => w.WriteNumber("delay", seconds)) with { Delay = TimeSpan.FromSeconds(seconds) };
    }

    // podinfo's route templates take [0-9]+ only (no sign); Atoi then reads the number.
    private static bool TryParseDigits(string text, out int value)
    {
        value = 0;
        return text.All(char.IsAsciiDigit) && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    // podinfo's ErrorResponse body; podinfo sends it with status 200, the sandbox with the code it names.
    private static PodinfoResponse Error(string message) =>
        Json(400, w =>
        {
            w.WriteNumber("code", 400);
            w.WriteString("message", message);
        });

    // An HS256 JWT with podinfo's claims (name = the request body or "anonymous", exp one minute ahead, iss podinfo).
    private static PodinfoResponse Token(string body, DateTimeOffset now)
    {
        var expires = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds() + 60);
        var claims = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(claims))
        {
            writer.WriteStartObject();
            writer.WriteString("name", body.Length > 0 ? body : "anonymous");
            writer.WriteNumber("exp", expires.ToUnixTimeSeconds());
            writer.WriteString("iss", "podinfo");
            writer.WriteEndObject();
        }

        var signed = $"{JwtHeader}.{Base64Url.EncodeToString(claims.WrittenSpan)}";
        var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(JwtSecret), Encoding.UTF8.GetBytes(signed));
        var token = $"{signed}.{Base64Url.EncodeToString(signature)}";
        return Json(200, w =>
        {
            w.WriteString("token", token);
            // Go's time.Time in JSON: RFC 3339, whole seconds here (exp is in seconds), UTC as in podinfo's image.
            w.WriteString("expires_at", expires.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        });
    }

    private static PodinfoResponse Json(int status, Action<Utf8JsonWriter> properties)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, Indented))
        {
            writer.WriteStartObject();
            properties(writer);
            writer.WriteEndObject();
        }

        return new PodinfoResponse(status, Encoding.UTF8.GetString(buffer.WrittenSpan), JsonContentType, TimeSpan.Zero);
    }
}
