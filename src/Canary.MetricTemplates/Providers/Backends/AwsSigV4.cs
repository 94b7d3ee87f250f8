using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Canary.MetricTemplates.Providers.Backends;

/// <summary>AWS credentials: an access key pair, and the session token of temporary (STS) credentials.</summary>
/// <param name="AccessKeyId">The access key id (AKIA…/ASIA…).</param>
/// <param name="SecretAccessKey">The secret access key; only ever used as an HMAC key, never sent.</param>
/// <param name="SessionToken">The session token of temporary credentials, sent as <c>X-Amz-Security-Token</c>.</param>
internal sealed record AwsCredentials(string AccessKeyId, string SecretAccessKey, string? SessionToken)
{
    /// <summary>Never the secret or the token: a record's generated ToString would print them into a log.</summary>
    public override string ToString() => $"AwsCredentials {{ AccessKeyId = {AccessKeyId} }}";
}

/// <summary>
/// AWS Signature Version 4 (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html),
/// header-based, for services that do not normalise S3-style. AWSSDK.Core's <c>AWS4Signer</c> only signs the SDK's own
/// <c>IRequest</c> with an <c>IClientConfig</c>, not an <see cref="HttpRequestMessage"/>, so the few steps are done here
/// and checked against AWS's published test suite (SigV4Tests).
/// </summary>
internal static class AwsSigV4
{
    public const string Algorithm = "AWS4-HMAC-SHA256";

    /// <summary>
    /// Signs <paramref name="request"/> (whose body is <paramref name="body"/>): sets <c>X-Amz-Date</c>, the session token
    /// when there is one, and <c>Authorization</c> over host, content-type and every <c>x-amz-*</c> header.
    /// </summary>
    public static void Sign(HttpRequestMessage request, byte[] body, AwsCredentials credentials, string region, string service, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(credentials);
        var uri = request.RequestUri ?? throw new ArgumentException("the request has no URI", nameof(request));
        request.Headers.Remove("X-Amz-Date");
        request.Headers.Remove("X-Amz-Security-Token");
        request.Headers.Remove("Authorization");
        request.Headers.TryAddWithoutValidation("X-Amz-Date", AmzDate(now));
        if (credentials.SessionToken is { Length: > 0 } token)
        {
            request.Headers.TryAddWithoutValidation("X-Amz-Security-Token", token);
        }

        // What HttpClient will put on the wire: Host with the port unless it is the scheme's default.
        var headers = new List<(string Name, string Value)> { ("host", uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}") };
        if (request.Content?.Headers.ContentType is { } contentType)
        {
            headers.Add(("content-type", contentType.ToString()));
        }

        headers.AddRange(request.Headers
            .Where(h => h.Key.StartsWith("x-amz-", StringComparison.OrdinalIgnoreCase))
            .Select(h => (h.Key, string.Join(",", h.Value))));
        var authorization = Authorization(request.Method.Method, uri.AbsolutePath, uri.Query.TrimStart('?'), headers, body, credentials, region, service, now);
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
    }

    /// <summary>The Authorization header value of a request with these parts (path and query as sent, percent-encoded).</summary>
    public static string Authorization(
        string method, string path, string query, IEnumerable<(string Name, string Value)> headers, byte[] body,
        AwsCredentials credentials, string region, string service, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        var canonical = CanonicalHeaders(headers);
        var signedHeaders = string.Join(";", canonical.Select(h => h.Name));
        var canonicalRequest = CanonicalRequest(method, path, query, canonical, HexSha256(body));
        var scope = Scope(now, region, service);
        var signature = Signature(credentials.SecretAccessKey, now, region, service, StringToSign(now, scope, canonicalRequest));
        return $"{Algorithm} Credential={credentials.AccessKeyId}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}";
    }

    /// <summary>Task 1: method, canonical URI, canonical query, headers, signed headers and the payload hash, one per line.</summary>
    public static string CanonicalRequest(string method, string path, string query, IReadOnlyList<(string Name, string Value)> canonicalHeaders, string payloadHash)
    {
        ArgumentNullException.ThrowIfNull(canonicalHeaders);
        var builder = new StringBuilder();
        builder.Append(method.ToUpperInvariant()).Append('\n');
        builder.Append(CanonicalPath(path)).Append('\n');
        builder.Append(CanonicalQuery(query)).Append('\n');
        foreach (var (name, value) in canonicalHeaders)
        {
            builder.Append(name).Append(':').Append(value).Append('\n');
        }

        builder.Append('\n');
        builder.Append(string.Join(";", canonicalHeaders.Select(h => h.Name))).Append('\n');
        builder.Append(payloadHash);
        return builder.ToString();
    }

    /// <summary>Task 2: algorithm, request date, credential scope and the hash of the canonical request.</summary>
    public static string StringToSign(DateTimeOffset now, string scope, string canonicalRequest) =>
        $"{Algorithm}\n{AmzDate(now)}\n{scope}\n{HexSha256(Encoding.UTF8.GetBytes(canonicalRequest))}";

    /// <summary>Task 3: the HMAC chain date → region → service → aws4_request, then the string to sign, hex.</summary>
    public static string Signature(string secretAccessKey, DateTimeOffset now, string region, string service, string stringToSign)
    {
        var key = HMACSHA256.HashData(Encoding.UTF8.GetBytes("AWS4" + secretAccessKey), Encoding.UTF8.GetBytes(Date(now)));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(region));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(service));
        key = HMACSHA256.HashData(key, "aws4_request"u8.ToArray());
        return Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign)));
    }

    /// <summary><c>yyyyMMdd/region/service/aws4_request</c>.</summary>
    public static string Scope(DateTimeOffset now, string region, string service) => $"{Date(now)}/{region}/{service}/aws4_request";

    /// <summary>ISO 8601 basic format, UTC: 20150830T123600Z.</summary>
    public static string AmzDate(DateTimeOffset now) => now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Lower-case names sorted, values trimmed with inner runs of spaces collapsed, repeated names joined by commas.</summary>
    public static IReadOnlyList<(string Name, string Value)> CanonicalHeaders(IEnumerable<(string Name, string Value)> headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        return [.. headers
            .GroupBy(h => h.Name.Trim().ToLowerInvariant(), StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (g.Key, string.Join(",", g.Select(h => CollapseSpaces(h.Value)))))];
    }

    /// <summary>Lower-case hex SHA-256.</summary>
    public static string HexSha256(byte[] data) => Convert.ToHexStringLower(SHA256.HashData(data));

    /// <summary>RFC 3986 encoding: unreserved characters (A-Z a-z 0-9 - _ . ~) kept, every other UTF-8 byte as %XX.</summary>
    public static string UriEncode(string value, bool keepSlash = false)
    {
        ArgumentNullException.ThrowIfNull(value);
        var builder = new StringBuilder(value.Length);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~' || (keepSlash && c == '/'))
            {
                builder.Append(c);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    private static string Date(DateTimeOffset now) => now.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    // The path as sent, decoded and encoded again, so it has exactly one canonical spelling; empty is "/".
    private static string CanonicalPath(string path) =>
        string.IsNullOrEmpty(path) ? "/" : UriEncode(Uri.UnescapeDataString(path), keepSlash: true);

    // Parameters sorted by encoded name, then value; "a" without "=" signs as "a=".
    private static string CanonicalQuery(string query) => string.Join("&", query
        .Split('&', StringSplitOptions.RemoveEmptyEntries)
        .Select(p => p.Split('=', 2))
        .Select(p => (Name: UriEncode(Uri.UnescapeDataString(p[0])), Value: UriEncode(Uri.UnescapeDataString(p.Length > 1 ? p[1] : string.Empty))))
        .OrderBy(p => p.Name, StringComparer.Ordinal)
        .ThenBy(p => p.Value, StringComparer.Ordinal)
        .Select(p => $"{p.Name}={p.Value}"));

    private static string CollapseSpaces(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var c in value.Trim())
        {
            if (c != ' ' || builder.Length == 0 || builder[^1] != ' ')
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
