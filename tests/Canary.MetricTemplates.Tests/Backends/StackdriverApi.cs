using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Canary.Testing.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Canary.MetricTemplates.Tests.Backends;

/// <summary>
/// Google's side of the stackdriver backend, on one loopback server:
/// <list type="bullet">
/// <item><c>POST /token</c>, the OAuth 2.0 token endpoint of a service account key's <c>token_uri</c>, as
/// https://developers.google.com/identity/protocols/oauth2/service-account#httprest documents it: grant_type
/// <c>urn:ietf:params:oauth:grant-type:jwt-bearer</c>, an RS256 JWT assertion whose signature it verifies with the
/// account's public key, <c>iss</c> the account, <c>aud</c> always https://oauth2.googleapis.com/token, a <c>scope</c>, <c>iat</c>/<c>exp</c> at most an
/// hour apart around now; errors as <c>{"error":"invalid_grant","error_description":...}</c>; success
/// <c>{"access_token","expires_in":3600,"token_type":"Bearer"}</c>.</item>
/// <item><c>GET /computeMetadata/v1/instance/service-accounts/default/token</c>, the metadata server of GKE workload
/// identity (https://cloud.google.com/compute/docs/access/authenticate-workloads#applications): only with
/// <c>Metadata-Flavor: Google</c>.</item>
/// <item><c>POST /v3/projects/{project}/timeSeries:query</c>, Cloud Monitoring's MQL query
/// (https://cloud.google.com/monitoring/api/ref_v3/rest/v3/projects.timeSeries/query): a bearer token it issued and that
/// has not expired (else 401 UNAUTHENTICATED), its project (else 403 PERMISSION_DENIED), a query (else 400
/// INVALID_ARGUMENT); answers QueryTimeSeriesResponse: timeSeriesDescriptor, timeSeriesData[].pointData[] (newest first,
/// values as TypedValue), nextPageToken; errors as https://cloud.google.com/apis/design/errors
/// <c>{"error":{"code","message","status"}}</c>. The MQL parse messages are in Google's style, not verbatim.</item>
/// </list>
/// </summary>
internal sealed class StackdriverApi(Func<DateTimeOffset> now) : IDisposable
{
    public const string Project = "flagger-demo-123456";
    public const string ClientEmail = "flagger@flagger-demo-123456.iam.gserviceaccount.com";
    public const string KeyId = "5f1c0b1a8e7d4c3b2a1908f7e6d5c4b3a2918070";
    private const string Unauthenticated =
        "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.";

    private readonly ConcurrentDictionary<string, DateTimeOffset> _tokens = new();

    /// <summary>The service account's key pair; the server checks assertions with its public half.</summary>
    public RSA Key { get; } = RSA.Create(2048);

    /// <summary>The time series every valid query answers: per series, (end time, TypedValue) newest first.</summary>
    public List<List<(DateTimeOffset End, JsonObject Value)>> Series { get; } = [];

    /// <summary>The next query's first page has no series, only a nextPageToken.</summary>
    public bool EmptyFirstPage { get; set; }

    private int _tokensIssued;

    /// <summary>Tokens issued by the token endpoint (the metadata server's not counted).</summary>
    public int TokensIssued => Volatile.Read(ref _tokensIssued);

    /// <summary>The bearer token of every monitoring call that passed authentication.</summary>
    public ConcurrentQueue<string> TokensUsed { get; } = new();

    public Task<LoopbackServer> StartAsync() => LoopbackServer.StartAsync((context, request, _, ct) => HandleAsync(context, request, ct));

    /// <summary>A service account key JSON as the Cloud console downloads it, its token_uri this server's.</summary>
    public string ServiceAccountKey(Uri server, RSA? key = null) => new JsonObject
    {
        ["type"] = "service_account",
        ["project_id"] = Project,
        ["private_key_id"] = KeyId,
        ["private_key"] = (key ?? Key).ExportPkcs8PrivateKeyPem() + "\n",
        ["client_email"] = ClientEmail,
        ["client_id"] = "103456789012345678901",
        ["auth_uri"] = "https://accounts.google.com/o/oauth2/auth",
        ["token_uri"] = new Uri(server, "token").ToString(),
        ["auth_provider_x509_cert_url"] = "https://www.googleapis.com/oauth2/v1/certs",
        ["client_x509_cert_url"] = "https://www.googleapis.com/robot/v1/metadata/x509/flagger%40flagger-demo-123456.iam.gserviceaccount.com",
        ["universe_domain"] = "googleapis.com",
    }.ToJsonString();

    private Task HandleAsync(HttpContext context, RecordedRequest request, CancellationToken cancellationToken) => request.Path switch
    {
        "/token" when request.Method == "POST" => TokenAsync(context, request, cancellationToken),
        "/computeMetadata/v1/instance/service-accounts/default/token" when request.Method == "GET" => MetadataAsync(context, request, cancellationToken),
        _ when request.Path.StartsWith("/v3/projects/", StringComparison.Ordinal) && request.Path.EndsWith("/timeSeries:query", StringComparison.Ordinal) && request.Method == "POST"
            => QueryAsync(context, request, cancellationToken),
        _ => Json(context, 404, GoogleError(404, "NOT_FOUND", $"The requested URL {request.Path} was not found on this server."), cancellationToken),
    };

    private Task TokenAsync(HttpContext context, RecordedRequest request, CancellationToken cancellationToken)
    {
        var form = QueryHelpers.ParseQuery(request.Body);
        if (form["grant_type"] != "urn:ietf:params:oauth:grant-type:jwt-bearer")
        {
            return Json(context, 400, OAuthError("unsupported_grant_type", $"Invalid grant_type: {form["grant_type"]}"), cancellationToken);
        }

        var parts = form["assertion"].ToString().Split('.');
        JsonNode? header, claims;
        try
        {
            header = JsonNode.Parse(Base64Url(parts[0]));
            claims = JsonNode.Parse(Base64Url(parts[1]));
            if (parts.Length != 3 || header?["alg"]?.GetValue<string>() != "RS256"
                || !Key.VerifyData(Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"), Base64Url(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
            {
                return Json(context, 400, OAuthError("invalid_grant", "Invalid JWT Signature."), cancellationToken);
            }
        }
        catch (Exception e) when (e is FormatException or System.Text.Json.JsonException or IndexOutOfRangeException)
        {
            return Json(context, 400, OAuthError("invalid_grant", "Invalid JWT: the assertion is not a JWT."), cancellationToken);
        }

        if (claims?["iss"]?.GetValue<string>() != ClientEmail)
        {
            return Json(context, 400, OAuthError("invalid_grant", "Invalid grant: account not found"), cancellationToken);
        }

        // "When making an access token request this value is always https://oauth2.googleapis.com/token", wherever the
        // request is posted (the key's token_uri).
        if (claims["aud"]?.GetValue<string>() != "https://oauth2.googleapis.com/token")
        {
            return Json(context, 400, OAuthError("invalid_grant", "Invalid JWT: Failed audience check."), cancellationToken);
        }

        var scopes = claims["scope"]?.GetValue<string>().Split(' ') ?? [];
        if (!scopes.Intersect(["https://www.googleapis.com/auth/monitoring.read", "https://www.googleapis.com/auth/monitoring", "https://www.googleapis.com/auth/cloud-platform"]).Any())
        {
            return Json(context, 400, OAuthError("invalid_scope", "Invalid OAuth scope or ID token audience provided."), cancellationToken);
        }

        var issued = DateTimeOffset.FromUnixTimeSeconds(claims["iat"]?.GetValue<long>() ?? 0);
        var expires = DateTimeOffset.FromUnixTimeSeconds(claims["exp"]?.GetValue<long>() ?? 0);
        if (expires <= issued || expires - issued > TimeSpan.FromHours(1) || (issued - now()).Duration() > TimeSpan.FromMinutes(5))
        {
            return Json(context, 400, OAuthError("invalid_grant",
                "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim."), cancellationToken);
        }

        Interlocked.Increment(ref _tokensIssued);
        return Json(context, 200, Issue(3600), cancellationToken);
    }

    private Task MetadataAsync(HttpContext context, RecordedRequest request, CancellationToken cancellationToken)
    {
        if (request.Headers.GetValueOrDefault("Metadata-Flavor") != "Google")
        {
            context.Response.StatusCode = 403;
            context.Response.ContentType = "text/html; charset=UTF-8";
            return context.Response.WriteAsync("Missing Metadata-Flavor:Google header.", cancellationToken);
        }

        return Json(context, 200, Issue(3599), cancellationToken);
    }

    private Task QueryAsync(HttpContext context, RecordedRequest request, CancellationToken cancellationToken)
    {
        var bearer = request.Authorization is { } authorization && authorization.StartsWith("Bearer ", StringComparison.Ordinal) ? authorization["Bearer ".Length..] : null;
        if (bearer is null || !_tokens.TryGetValue(bearer, out var expiry) || expiry <= now())
        {
            context.Response.Headers.WWWAuthenticate = "Bearer realm=\"https://accounts.google.com/\", error=\"invalid_token\"";
            return Json(context, 401, GoogleError(401, "UNAUTHENTICATED", Unauthenticated), cancellationToken);
        }

        TokensUsed.Enqueue(bearer);
        var project = request.Path["/v3/projects/".Length..^"/timeSeries:query".Length];
        if (project != Project)
        {
            return Json(context, 403, GoogleError(403, "PERMISSION_DENIED", "Permission monitoring.timeSeries.list denied (or the resource may not exist)."), cancellationToken);
        }

        var body = JsonNode.Parse(request.Body);
        var query = body?["query"]?.GetValue<string>() ?? string.Empty;
        if (query.Trim().Length == 0)
        {
            return Json(context, 400, GoogleError(400, "INVALID_ARGUMENT", "Field query had an invalid value: Query must not be empty."), cancellationToken);
        }

        if (!query.TrimStart().StartsWith("fetch ", StringComparison.Ordinal))
        {
            var word = query.TrimStart().Split(' ', '\n')[0];
            return Json(context, 400, GoogleError(400, "INVALID_ARGUMENT", $"Line 1, column 1: Expected a table operation (e.g. 'fetch'), found '{word}'."), cancellationToken);
        }

        var descriptor = new JsonObject
        {
            ["labelDescriptors"] = new JsonArray(new JsonObject { ["key"] = "resource.project_id" }),
            ["pointDescriptors"] = new JsonArray(new JsonObject { ["key"] = "value_response_latencies_percentile", ["valueType"] = "DOUBLE", ["metricKind"] = "GAUGE", ["unit"] = "ms" }),
        };
        var answer = new JsonObject { ["timeSeriesDescriptor"] = descriptor };
        if (EmptyFirstPage && body?["pageToken"] is null)
        {
            EmptyFirstPage = false;
            answer["nextPageToken"] = "page-2";
            return Json(context, 200, answer, cancellationToken);
        }

        if (Series.Count > 0)
        {
            answer["timeSeriesData"] = new JsonArray([.. Series.Select(points => (JsonNode)new JsonObject
            {
                ["labelValues"] = new JsonArray(new JsonObject { ["stringValue"] = Project }),
                ["pointData"] = new JsonArray([.. points.Select(p => (JsonNode)new JsonObject
                {
                    ["values"] = new JsonArray(p.Value.DeepClone()),
                    ["timeInterval"] = new JsonObject
                    {
                        ["startTime"] = Rfc3339(p.End.AddMinutes(-1)),
                        ["endTime"] = Rfc3339(p.End),
                    },
                })]),
            })]);
        }

        return Json(context, 200, answer, cancellationToken);
    }

    public void Dispose() => Key.Dispose();

    private JsonObject Issue(int seconds)
    {
        var token = "ya29.c.c0AY_VpZg" + Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
        _tokens[token] = now().AddSeconds(seconds);
        return new JsonObject { ["access_token"] = token, ["expires_in"] = seconds, ["token_type"] = "Bearer" };
    }

    private static string Rfc3339(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    private static byte[] Base64Url(string text) => Convert.FromBase64String(text.Replace('-', '+').Replace('_', '/').PadRight(text.Length + ((4 - (text.Length % 4)) % 4), '='));

    private static JsonObject OAuthError(string error, string description) => new() { ["error"] = error, ["error_description"] = description };

    private static JsonObject GoogleError(int code, string status, string message) =>
        new() { ["error"] = new JsonObject { ["code"] = code, ["message"] = message, ["status"] = status } };

    private static async Task Json(HttpContext context, int status, JsonObject body, CancellationToken cancellationToken)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=UTF-8";
        await context.Response.WriteAsync(body.ToJsonString(), cancellationToken);
    }
}
