using System.Net;
using System.Text;
using System.Text.Json;
using Canary.Api.V1Beta1;
using Canary.MetricTemplates.Providers.Http;

namespace Canary.MetricTemplates.Providers.Backends;

/// <summary>
/// Amazon CloudWatch's <c>GetMetricData</c> (Query protocol, <see cref="CloudWatchWire"/>) in <c>spec.provider.region</c>
/// (required), at <c>https://monitoring.&lt;region&gt;.amazonaws.com</c> unless <c>address</c> says otherwise, signed with
/// Signature Version 4 (<see cref="AwsSigV4"/>). The query is the template's JSON array of MetricDataQuery, as in Flagger.
/// </summary>
/// <remarks>
/// Credentials: <c>aws_access_key_id</c>, <c>aws_secret_access_key</c> and optional <c>aws_session_token</c> of the
/// template's Secret; without a secretRef the controller's <c>AWS_ACCESS_KEY_ID</c>/<c>AWS_SECRET_ACCESS_KEY</c>/
/// <c>AWS_SESSION_TOKEN</c>. Flagger uses the SDK's whole default chain; web identity (IRSA), EKS Pod Identity and
/// instance profiles are not implemented here and are refused by name.
/// The window is ten metric intervals ending now, as Flagger: CloudWatch publishes a minute or more late, so one interval
/// is often still empty, and the newest point is what counts anyway. The value is Flagger's: the first
/// MetricDataResult's newest point (<c>Values[0]</c> of the default <c>TimestampDescending</c> scan); no result or no
/// point is no data. Pages are followed (<c>NextToken</c>) while that result has no point yet: a first page may end early
/// (PartialData) or fail transiently (InternalError, "retry using NextToken"). Throttling (HTTP 400 <c>Throttling</c> in
/// this protocol, or 429) is retried by the shared pipeline like a 429, as the AWS SDKs retry it.
/// </remarks>
internal sealed class CloudWatchProvider : IMetricProvider
{
    /// <summary>The registration: credentials from the Secret, else the process environment.</summary>
    public static MetricBackend Backend { get; } = new(MetricProviderTypes.CloudWatch, (context, spec) => Create(context, spec, Environment.GetEnvironmentVariable));

    private const string Service = "monitoring";

    // Flagger's cloudWatchStartDeltaMultiplierOnMetricInterval.
    private const int WindowIntervals = 10;
    private const string AccessKeyIdKey = "aws_access_key_id";
    private const string SecretAccessKeyKey = "aws_secret_access_key";
    private const string SessionTokenKey = "aws_session_token";

    // A first result that is still empty after this many pages is reported as no data rather than paged through forever.
    private const int MaxPages = 10;

    private readonly MetricHttpClient _http;
    private readonly Uri _address;
    private readonly string _region;
    private readonly AwsCredentials _credentials;
    private readonly TimeSpan _window;
    private readonly TimeProvider _time;
    private readonly IReadOnlyDictionary<string, IReadOnlyList<string>> _headers;

    private CloudWatchProvider(MetricProviderSpec spec, MetricBackendContext context, Func<string, string?> environment)
    {
        _region = spec.Region?.Trim() is { Length: > 0 } region ? region : throw new MetricProviderException("cloudwatch region not specified (spec.provider.region)");
        if (!_region.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
        {
            throw new MetricProviderException($"cloudwatch region '{_region}' is not an AWS region name, e.g. us-east-1");
        }

        _address = BackendAddress.Parse(Type, spec.Address, DefaultAddress(_region));
        _credentials = Credentials(spec, environment);
        _http = new MetricHttpClient(Type, Client(context, spec), context.Pipeline, context.MaxResponseBytes,
            [.. spec.SecretValues, _credentials.AccessKeyId, _credentials.SecretAccessKey, .. _credentials.SessionToken is { } token ? [token] : Array.Empty<string>()]);
        _window = spec.Window * WindowIntervals;
        _time = context.Time;
        _headers = spec.Headers;
    }

    /// <inheritdoc />
    public string Type => MetricProviderTypes.CloudWatch;

    /// <summary>
    /// The provider for <paramref name="spec"/>, reading the AWS_* variables through <paramref name="environment"/> (tests
    /// pass their own instead of changing the process').
    /// </summary>
    public static CloudWatchProvider Create(MetricBackendContext context, MetricProviderSpec spec, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(environment);
        return new CloudWatchProvider(spec, context, environment);
    }

    /// <summary>The regional endpoint: <c>monitoring.&lt;region&gt;.amazonaws.com</c>, <c>.amazonaws.com.cn</c> in China.</summary>
    public static string DefaultAddress(string region) =>
        $"https://monitoring.{region}.{(region.StartsWith("cn-", StringComparison.Ordinal) ? "amazonaws.com.cn" : "amazonaws.com")}";

    /// <inheritdoc />
    public async Task<MetricQueryResult> RunQueryAsync(string query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        IReadOnlyList<KeyValuePair<string, string>> queries;
        try
        {
            queries = CloudWatchWire.MetricDataQueries(query);
        }
        catch (JsonException e)
        {
            return MetricQueryResult.Failed($"cloudwatch: error unmarshaling query: {e.Message}");
        }

        var end = _time.GetUtcNow();
        var start = end - _window;
        CloudWatchWire.Result? first = null;
        var points = new List<(DateTimeOffset? At, double Value)>();
        var messages = new List<string>();
        string? nextToken = null;
        for (var page = 1; page <= MaxPages; page++)
        {
            var form = CloudWatchWire.GetMetricDataForm(queries, start, end, nextToken);
            var (answer, failure) = await _http.SendAsync(() => Request(form), _address.Host, cancellationToken);
            if (answer is null)
            {
                return failure!;
            }

            if (!answer.IsSuccess)
            {
                return Failure(answer);
            }

            CloudWatchWire.Page parsed;
            try
            {
                parsed = CloudWatchWire.ParsePage(answer.Body);
            }
            catch (Exception e) when (e is FormatException or System.Xml.XmlException or OverflowException)
            {
                return MetricQueryResult.Failed($"cloudwatch answered an unexpected shape: {e.Message}, '{_http.Excerpt(answer.Body)}'");
            }

            messages.AddRange(parsed.Messages);
            first ??= parsed.Results.Count > 0 ? parsed.Results[0] : null;
            if (first is not null)
            {
                var id = first.Id;
                var same = parsed.Results.FirstOrDefault(r => r.Id == id);
                points.AddRange(same?.Points ?? []);
                messages.AddRange(same?.Messages ?? []);
                first = same ?? first;
            }

            nextToken = parsed.NextToken;
            if (points.Count > 0 || nextToken is null)
            {
                break;
            }
        }

        var said = messages.Count > 0 ? $" ({_http.Scrub(string.Join("; ", messages.Distinct()))})" : string.Empty;
        if (first is null)
        {
            return MetricQueryResult.NoData($"cloudwatch returned no MetricDataResults{said}");
        }

        if (points.Count == 0)
        {
            return first.StatusCode is "InternalError" or "Forbidden"
                ? MetricQueryResult.Failed($"cloudwatch could not return {first.Id}: {first.StatusCode}{said}")
                : MetricQueryResult.NoData($"cloudwatch returned no data points for {first.Id} from {CloudWatchWire.Timestamp(start)} to {CloudWatchWire.Timestamp(end)}{said}");
        }

        // The newest point: Values[0] of the descending scan; by timestamp in case a page came in another order.
        var newest = points.All(p => p.At is not null) ? points.MaxBy(p => p.At!.Value) : points[0];
        return MetricQueryResult.Of(newest.Value);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Flagger's probe: GetMetricData with no queries. Authenticated and authorised, CloudWatch refuses only the empty list
    /// (400 ValidationError and the like), which is online; a credential or permission error is offline.
    /// </remarks>
    public async Task<MetricProviderHealth> IsOnlineAsync(CancellationToken cancellationToken)
    {
        var end = _time.GetUtcNow();
        var form = CloudWatchWire.GetMetricDataForm(CloudWatchWire.MetricDataQueries("[]"), end - _window, end, null);
        var (answer, failure) = await _http.SendAsync(() => Request(form), _address.Host, cancellationToken);
        if (answer is null)
        {
            return MetricProviderHealth.Offline(failure!.Detail!);
        }

        if (answer.IsSuccess
            || (answer.StatusCode == HttpStatusCode.BadRequest && CloudWatchWire.ParseError(answer.Body)?.Code is "ValidationError" or "InvalidParameterValue"
                or "InvalidParameterCombination" or "MissingParameter" or "InvalidNextToken"))
        {
            return MetricProviderHealth.Online;
        }

        return MetricProviderHealth.Offline(Failure(answer).Detail!);
    }

    // The named client's handler chain with ThrottlingAsTooManyRequests in front (an HttpClient cannot wrap another: each
    // marks the request as sent). A factory that hands out no handlers gets its client as is, throttling then not retried.
    private static HttpClient Client(MetricBackendContext context, MetricProviderSpec spec)
    {
        if (context.HttpClients is not IHttpMessageHandlerFactory handlers)
        {
            return context.ClientFor(spec);
        }

        var name = spec.InsecureSkipVerify ? MetricProviderFactory.InsecureHttpClientName : MetricProviderFactory.HttpClientName;
        var throttling = new ThrottlingAsTooManyRequests(context.MaxResponseBytes) { InnerHandler = handlers.CreateHandler(name) };
        return new HttpClient(throttling, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };
    }

    private static AwsCredentials Credentials(MetricProviderSpec spec, Func<string, string?> environment)
    {
        if (spec.Credentials is not null)
        {
            var id = spec.Credential(AccessKeyIdKey) ?? throw new MetricProviderException($"cloudwatch credentials does not contain {AccessKeyIdKey}");
            var secret = spec.Credential(SecretAccessKeyKey) ?? throw new MetricProviderException($"cloudwatch credentials does not contain {SecretAccessKeyKey}");
            return new AwsCredentials(id, secret, spec.Credential(SessionTokenKey));
        }

        if (environment("AWS_ACCESS_KEY_ID")?.Trim() is { Length: > 0 } envId && environment("AWS_SECRET_ACCESS_KEY")?.Trim() is { Length: > 0 } envSecret)
        {
            return new AwsCredentials(envId, envSecret, environment("AWS_SESSION_TOKEN")?.Trim() is { Length: > 0 } token ? token : null);
        }

        var webIdentity = environment("AWS_WEB_IDENTITY_TOKEN_FILE") is { Length: > 0 }
            ? " (AWS_WEB_IDENTITY_TOKEN_FILE is set: web identity / IRSA credentials are not supported)"
            : string.Empty;
        throw new MetricProviderException(
            $"cloudwatch has no AWS credentials{webIdentity}: give the template a secretRef to a Secret with {AccessKeyIdKey} and " +
            $"{SecretAccessKeyKey} (and {SessionTokenKey} for temporary credentials), or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY for the controller");
    }

    private HttpRequestMessage Request(string form)
    {
        var body = Encoding.UTF8.GetBytes(form);
        var request = new HttpRequestMessage(HttpMethod.Post, _address) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-www-form-urlencoded") { CharSet = "utf-8" };
        BackendAddress.AddHeaders(request, _headers);

        // Signed per attempt: a retry carries a fresh X-Amz-Date.
        AwsSigV4.Sign(request, body, _credentials, _region, Service, _time.GetUtcNow());
        return request;
    }

    // AWS's code and message ("SignatureDoesNotMatch: The request signature we calculated…") rather than the XML, classified
    // as MetricHttpClient does (429 and 502/503/504 unreachable, the rest an error). The code, not the status, is shown:
    // it says more, and a throttled 400 has become a 429 on its way through ThrottlingAsTooManyRequests.
    private MetricQueryResult Failure(MetricHttpAnswer answer)
    {
        var generic = _http.Failure(answer, _address.Host);
        if (CloudWatchWire.ParseError(answer.Body) is not { } error)
        {
            return generic;
        }

        var detail = _http.Scrub($"cloudwatch {_address.Host} answered {error.Code}: {_http.Excerpt(error.Message)}");
        return generic.Status == MetricQueryStatus.Unreachable || CloudWatchWire.IsThrottling(error.Code)
            ? MetricQueryResult.Unreachable(detail)
            : MetricQueryResult.Failed(detail);
    }

    /// <summary>
    /// Turns CloudWatch's throttling answer (HTTP 400 with code Throttling in the Query protocol) into the 429 the shared
    /// retry pipeline backs off on, so throttling is retried as the AWS SDKs retry it; every other answer passes untouched.
    /// </summary>
    private sealed class ThrottlingAsTooManyRequests(int maxResponseBytes) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (response.StatusCode != HttpStatusCode.BadRequest)
            {
                return response;
            }

            await MetricHttpClient.BufferAsync(response, maxResponseBytes, cancellationToken);

            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (CloudWatchWire.ParseError(body) is { } error && CloudWatchWire.IsThrottling(error.Code))
            {
                response.StatusCode = HttpStatusCode.TooManyRequests;
            }

            return response;
        }
    }
}
