using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Canary.Api.V1Beta1;
using Canary.MetricTemplates.Providers.Http;
using Google.Apis.Auth.OAuth2;
using Google.Apis.Auth.OAuth2.Responses;

namespace Canary.MetricTemplates.Providers.Backends;

/// <summary>
/// Google Cloud Monitoring (Flagger's <c>stackdriver</c>): the Monitoring Query Language query of the template, run by
/// <c>POST /v3/projects/&lt;project&gt;/timeSeries:query</c> (https://cloud.google.com/monitoring/api/ref_v3/rest/v3/projects.timeSeries/query,
/// the REST form of the QueryTimeSeries RPC Flagger's Go client calls) against <c>address</c> (default
/// https://monitoring.googleapis.com), with a bearer token of <see cref="GoogleAccessTokens"/>.
/// </summary>
/// <remarks>
/// Secret: <c>project</c> (required, as in Flagger) and optional <c>serviceAccountKey</c> (a service account key JSON; its
/// <c>token_uri</c> receives the JWT bearer grant). Without a key the token comes from the metadata server (GKE workload
/// identity), <c>GCE_METADATA_HOST</c> or 169.254.169.254. Value as Flagger: the first time series of the answer (pages
/// followed while there is none yet, as Go's iterator does), its newest point, the point's first value. Unlike Flagger,
/// an INT64 value is read as its number (Flagger's <c>GetDoubleValue</c> gives 0), a boolean as 1/0, and a distribution
/// or string value is an error instead of a silent 0. No series, no point or no value is no data.
/// </remarks>
internal sealed class StackdriverProvider : IMetricProvider
{
    /// <summary>The registration: the metadata server from the process environment.</summary>
    public static MetricBackend Backend { get; } = new(MetricProviderTypes.Stackdriver, (context, spec) => Create(context, spec, Environment.GetEnvironmentVariable));

    /// <summary>Cloud Monitoring's API host.</summary>
    public const string DefaultAddress = "https://monitoring.googleapis.com";

    private const string ProjectKey = "project";
    private const string ServiceAccountKeyKey = "serviceAccountKey";

    // A query whose first series has not come after this many pages is reported as no data.
    private const int MaxPages = 10;

    private readonly MetricBackendContext _context;
    private readonly MetricProviderSpec _spec;
    private readonly Uri _address;
    private readonly string _project;
    private readonly ServiceCredential _credential;
    private readonly string _tokenHost;
    private readonly string[] _secrets;

    // Messages scrubbed of the Secret's values (the private key among them) for what is said before a token exists.
    private readonly MetricHttpClient _scrub;

    private StackdriverProvider(MetricProviderSpec spec, MetricBackendContext context, Func<string, string?> environment)
    {
        if (spec.Credentials is null)
        {
            throw new MetricProviderException($"stackdriver needs spec.provider.secretRef: a Secret with the project id in key {ProjectKey}");
        }

        _project = spec.Credential(ProjectKey) ?? throw new MetricProviderException("stackdriver credentials does not contain a project id");
        _address = BackendAddress.Parse(Type, spec.Address, DefaultAddress);
        if (spec.Credential(ServiceAccountKeyKey) is { } json)
        {
            var key = GoogleServiceAccountKey.Parse(json);
            _credential = GoogleAccessTokens.ForServiceAccount(context, key);
            _tokenHost = key.TokenUri.Host;
            _secrets = [.. spec.SecretValues, key.PrivateKey, .. key.PrivateKeyId is { } id ? [id] : Array.Empty<string>()];
        }
        else
        {
            // Google's variable for another metadata server (its client libraries read it too).
            var host = environment("GCE_METADATA_HOST") is { Length: > 0 } configured ? configured : "169.254.169.254";
            var url = $"http://{host}{GoogleAccessTokens.MetadataTokenPath}";
            _credential = GoogleAccessTokens.ForMetadataServer(context, url);
            _tokenHost = new Uri(url).Host;
            _secrets = [.. spec.SecretValues];
        }

        _context = context;
        _spec = spec;
        _scrub = Client([]);
    }

    /// <inheritdoc />
    public string Type => MetricProviderTypes.Stackdriver;

    /// <summary>
    /// The provider for <paramref name="spec"/>, reading <c>GCE_METADATA_HOST</c> through <paramref name="environment"/> (tests
    /// pass their own instead of changing the process').
    /// </summary>
    public static StackdriverProvider Create(MetricBackendContext context, MetricProviderSpec spec, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(environment);
        return new StackdriverProvider(spec, context, environment);
    }

    /// <inheritdoc />
    public async Task<MetricQueryResult> RunQueryAsync(string query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var partialErrors = new List<string>();
        string? pageToken = null;
        for (var page = 1; page <= MaxPages; page++)
        {
            var (answer, http, failure) = await QueryAsync(query, pageToken, cancellationToken);
            if (answer is null)
            {
                return failure!;
            }

            if (!answer.IsSuccess)
            {
                return Failure(http!, answer);
            }

            try
            {
                var root = JsonNode.Parse(answer.Body)?.AsObject() ?? throw new FormatException("the answer is null");
                partialErrors.AddRange(root["partialErrors"]?.AsArray().Select(e => e?["message"]?.GetValue<string>()).OfType<string>() ?? []);
                if (root["timeSeriesData"]?.AsArray() is { Count: > 0 } series)
                {
                    return Value(series[0]!, http!);
                }

                pageToken = root["nextPageToken"]?.GetValue<string>() is { Length: > 0 } next ? next : null;
            }
            catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
            {
                return MetricQueryResult.Failed($"stackdriver answered an unexpected shape: {e.Message}, '{http!.Excerpt(answer.Body)}'");
            }

            if (pageToken is null)
            {
                break;
            }
        }

        var said = partialErrors.Count > 0 ? $" (partial errors: {string.Join("; ", partialErrors)})" : string.Empty;
        return MetricQueryResult.NoData(_scrub.Scrub($"stackdriver returned no time series{said}"));
    }

    /// <inheritdoc />
    /// <remarks>
    /// Flagger's probe: an empty query. With a token that may read the project, Cloud Monitoring refuses only the empty
    /// query (400 INVALID_ARGUMENT), which is online; no token, 401 or 403 is offline.
    /// </remarks>
    public async Task<MetricProviderHealth> IsOnlineAsync(CancellationToken cancellationToken)
    {
        var (answer, http, failure) = await QueryAsync(string.Empty, null, cancellationToken);
        if (answer is null)
        {
            return MetricProviderHealth.Offline(failure!.Detail!);
        }

        return answer.IsSuccess || (answer.StatusCode == HttpStatusCode.BadRequest && GoogleError(answer.Body)?.Status == "INVALID_ARGUMENT")
            ? MetricProviderHealth.Online
            : MetricProviderHealth.Offline(Failure(http!, answer).Detail!);
    }

    // One timeSeries:query call with a token; a 401 (a token revoked before it expired) gets one fresh token and one retry.
    private async Task<(MetricHttpAnswer? Answer, MetricHttpClient? Http, MetricQueryResult? Failure)> QueryAsync(
        string query, string? pageToken, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var (token, tokenFailure) = await AccessTokenAsync(forceRefresh: attempt > 1, cancellationToken);
            if (token is null)
            {
                return (null, null, tokenFailure);
            }

            // Scrubbed of the token too: an error page that echoes the request shows stars, never the bearer token.
            var http = Client([token]);
            var uri = BackendAddress.Endpoint(_address, $"v3/projects/{Uri.EscapeDataString(_project)}/timeSeries:query", string.Empty);
            var body = new JsonObject { ["query"] = query };
            if (pageToken is not null)
            {
                body["pageToken"] = pageToken;
            }

            var (answer, failure) = await http.SendAsync(() => Request(uri, body.ToJsonString(), token), _address.Host, cancellationToken);
            if (answer?.StatusCode == HttpStatusCode.Unauthorized && attempt == 1)
            {
                continue;
            }

            return (answer, http, failure);
        }
    }

    private async Task<(string? Token, MetricQueryResult? Failure)> AccessTokenAsync(bool forceRefresh, CancellationToken cancellationToken)
    {
        try
        {
            if (forceRefresh)
            {
                await _credential.RequestAccessTokenAsync(cancellationToken);
            }

            var token = await _credential.GetAccessTokenForRequestAsync(cancellationToken: cancellationToken);
            return string.IsNullOrEmpty(token)
                ? (null, MetricQueryResult.Failed($"stackdriver got no access token from {_tokenHost}"))
                : (token, null);
        }
        catch (TokenResponseException e)
        {
            var detail = _scrub.Scrub($"stackdriver could not get an access token from {_tokenHost}: {e.Error?.Error}: {_scrub.Excerpt(e.Error?.ErrorDescription ?? string.Empty)}".TrimEnd(' ', ':'));
            return (null, e.StatusCode is HttpStatusCode.TooManyRequests or >= HttpStatusCode.InternalServerError
                ? MetricQueryResult.Unreachable(detail)
                : MetricQueryResult.Failed(detail));
        }
        catch (HttpRequestException e)
        {
            return (null, MetricQueryResult.Unreachable(_scrub.Scrub($"stackdriver could not reach {_tokenHost} for an access token: {e.Message}")));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, MetricQueryResult.Unreachable($"stackdriver access token request to {_tokenHost} timed out"));
        }
    }

    private MetricHttpClient Client(string[] more) =>
        new(Type, _context.ClientFor(_spec), _context.Pipeline, _context.MaxResponseBytes, [.. _secrets, .. more]);

    private HttpRequestMessage Request(Uri uri, string body, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        BackendAddress.AddHeaders(request, _spec.Headers);
        request.Headers.Remove("Authorization");
        request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {token}");
        return request;
    }

    // {"timeSeriesDescriptor": {...}, "timeSeriesData": [{"labelValues": [...], "pointData": [{"values": [{"doubleValue": 1.5}], "timeInterval": {"startTime": "...", "endTime": "..."}}]}]}
    private static MetricQueryResult Value(JsonNode series, MetricHttpClient http)
    {
        var points = series["pointData"]?.AsArray().OfType<JsonNode>().ToList() ?? [];
        if (points.Count == 0)
        {
            return MetricQueryResult.NoData("stackdriver returned a time series without points");
        }

        // Newest first as the API returns them (Flagger's pointData[0]); by end time in case an answer is ordered otherwise.
        var ends = points.Select(p => p["timeInterval"]?["endTime"]?.GetValue<string>() is { } end
            && DateTimeOffset.TryParse(end, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : (DateTimeOffset?)null).ToList();
        var newest = ends.All(e => e is not null) ? points[ends.IndexOf(ends.Max())] : points[0];
        if (newest["values"]?.AsArray() is not { Count: > 0 } values || values[0] is not JsonObject value)
        {
            return MetricQueryResult.NoData("stackdriver returned a point without values");
        }

        // TypedValue: int64 is a JSON string (proto3 mapping), double a number or "NaN"/"Infinity".
        if (value["doubleValue"] is { } d)
        {
            return MetricQueryResult.Of(d.GetValueKind() == JsonValueKind.String
                ? double.Parse(d.GetValue<string>(), NumberStyles.Float, CultureInfo.InvariantCulture)
                : d.GetValue<double>());
        }

        if (value["int64Value"] is { } i)
        {
            return MetricQueryResult.Of(i.GetValueKind() == JsonValueKind.String
                ? long.Parse(i.GetValue<string>(), NumberStyles.Integer, CultureInfo.InvariantCulture)
                : i.GetValue<long>());
        }

        if (value["boolValue"] is { } b)
        {
            return MetricQueryResult.Of(b.GetValue<bool>() ? 1 : 0);
        }

        var kind = value.Select(p => p.Key).FirstOrDefault() ?? "empty";
        return MetricQueryResult.Failed(
            $"stackdriver returned a {kind} where a number is needed: reduce the query to one DOUBLE or INT64 value per point (e.g. percentile or mean of a distribution): '{http.Excerpt(value.ToJsonString())}'");
    }

    private static (string Status, string Message)? GoogleError(string body)
    {
        try
        {
            return JsonNode.Parse(body)?["error"] is JsonObject error
                ? (error["status"]?.GetValue<string>() ?? string.Empty, error["message"]?.GetValue<string>() ?? string.Empty)
                : null;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    // Google's status and message ("INVALID_ARGUMENT: Line 1, column 7: ...") rather than the JSON, classified as MetricHttpClient does.
    private MetricQueryResult Failure(MetricHttpClient http, MetricHttpAnswer answer)
    {
        var generic = http.Failure(answer, _address.Host);
        if (GoogleError(answer.Body) is not { } error)
        {
            return generic;
        }

        var detail = http.Scrub($"stackdriver {_address.Host} answered {(int)answer.StatusCode} {error.Status}: {http.Excerpt(error.Message)}");
        return generic.Status == MetricQueryStatus.Unreachable ? MetricQueryResult.Unreachable(detail) : MetricQueryResult.Failed(detail);
    }
}
