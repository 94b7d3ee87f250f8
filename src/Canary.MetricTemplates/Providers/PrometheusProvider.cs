using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Canary.Api.V1Beta1;
using Canary.MetricTemplates.Providers.Http;
using Polly;

namespace Canary.MetricTemplates.Providers;

/// <summary>
/// Runs PromQL instant queries (<c>GET &lt;address&gt;/api/v1/query</c>) and returns the first sample. An attempt, body
/// included, ends at the attempt timeout, and an answer larger than <see cref="PrometheusClientOptions.MaxResponseBytes"/>
/// fails the query.
/// </summary>
public sealed partial class PrometheusProvider : IMetricProvider
{
    /// <summary>The availability probe, as in Flagger.</summary>
    public const string OnlineQuery = "vector(1)";

    private readonly MetricHttpClient _http;
    private readonly Uri _queryEndpoint;
    private readonly PrometheusCredentials? _credentials;
    private readonly IReadOnlyDictionary<string, IReadOnlyList<string>> _headers;

    internal PrometheusProvider(
        MetricProviderSpec spec, HttpClient httpClient, ResiliencePipeline<HttpResponseMessage> pipeline, int maxResponseBytes)
    {
        Address = ParseAddress(spec.Address);
        _queryEndpoint = QueryEndpoint(Address);
        _credentials = PrometheusCredentials.FromSecret(spec.Credentials);
        _headers = spec.Headers;
        _http = new MetricHttpClient(Type, httpClient, pipeline, maxResponseBytes, spec.SecretValues);
    }

    /// <inheritdoc />
    public string Type => MetricProviderTypes.Prometheus;

    /// <summary>Base address of the Prometheus server.</summary>
    public Uri Address { get; }

    /// <inheritdoc />
    public async Task<MetricQueryResult> RunQueryAsync(string query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var uri = new UriBuilder(_queryEndpoint) { Query = "query=" + Uri.EscapeDataString(CollapseWhitespace(query)) }.Uri;
        var (answer, failure) = await _http.SendAsync(() => CreateRequest(uri), Address.ToString(), cancellationToken);
        if (answer is null)
        {
            return failure!;
        }

        return answer.StatusCode switch
        {
            HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout =>
                MetricQueryResult.Unreachable($"{Address} answered {(int)answer.StatusCode}: {_http.Excerpt(answer.Body)}"),
            >= HttpStatusCode.BadRequest =>
                MetricQueryResult.Failed($"error response {(int)answer.StatusCode}: {_http.Excerpt(answer.Body)}"),
            _ => PrometheusResponseParser.Parse(answer.Body),
        };
    }

    /// <inheritdoc />
    public async Task<MetricProviderHealth> IsOnlineAsync(CancellationToken cancellationToken)
    {
        var result = await RunQueryAsync(OnlineQuery, cancellationToken);
        return result switch
        {
            { HasValue: true, Value: 1d } => MetricProviderHealth.Online,
            { HasValue: true } => MetricProviderHealth.Offline($"value is not 1 for query: {OnlineQuery}"),
            _ => MetricProviderHealth.Offline($"running query failed: {result.Detail}"),
        };
    }

    /// <summary>Collapses every run of whitespace to one space, as Flagger does before sending a query.</summary>
    public static string CollapseWhitespace(string query) => Whitespace().Replace(query, " ").Trim();

    private HttpRequestMessage CreateRequest(Uri uri)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, uri);
        foreach (var (name, values) in _headers)
        {
            request.Headers.TryAddWithoutValidation(name, values);
        }

        // The Secret wins over a hand-written Authorization header.
        if (_credentials is not null)
        {
            request.Headers.Authorization = _credentials.Header;
        }

        return request;
    }

    private static Uri ParseAddress(string? address)
    {
        if (string.IsNullOrWhiteSpace(address)
            || !Uri.TryCreate(address.Trim(), UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new MetricProviderException($"prometheus address '{address}' is not a valid http(s) URL");
        }

        return uri;
    }

    // Keeps a path prefix of the address (e.g. http://host/prometheus), like Flagger's path.Join.
    private static Uri QueryEndpoint(Uri address) =>
        new UriBuilder(address) { Path = address.AbsolutePath.TrimEnd('/') + "/api/v1/query", Query = string.Empty }.Uri;

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
