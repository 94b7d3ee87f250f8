using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Canary.Api.V1Beta1;
using Polly;
using Polly.Timeout;

namespace Canary.MetricTemplates.Providers;

/// <summary>Runs PromQL instant queries (<c>GET &lt;address&gt;/api/v1/query</c>) and returns the first sample.</summary>
public sealed partial class PrometheusProvider : IMetricProvider
{
    /// <summary>The availability probe, as in Flagger.</summary>
    public const string OnlineQuery = "vector(1)";

    private readonly HttpClient _httpClient;
    private readonly Uri _queryEndpoint;
    private readonly PrometheusCredentials? _credentials;
    private readonly IReadOnlyDictionary<string, IReadOnlyList<string>> _headers;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;

    internal PrometheusProvider(
        MetricProviderSpec spec, HttpClient httpClient, ResiliencePipeline<HttpResponseMessage> pipeline)
    {
        Address = ParseAddress(spec.Address);
        _queryEndpoint = QueryEndpoint(Address);
        _credentials = PrometheusCredentials.FromSecret(spec.Credentials);
        _headers = spec.Headers;
        _httpClient = httpClient;
        _pipeline = pipeline;
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
        HttpResponseMessage response;
        try
        {
            response = await _pipeline.ExecuteAsync(
                async (state, ct) =>
                {
                    using var request = state.CreateRequest(uri);
                    return await state._httpClient.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct);
                },
                this,
                cancellationToken);
        }
        catch (TimeoutRejectedException ex)
        {
            return MetricQueryResult.Unreachable($"request to {Address} timed out after {ex.Timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s");
        }
        catch (HttpRequestException ex)
        {
            return MetricQueryResult.Unreachable($"request to {Address} failed: {ex.Message}");
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            return response.StatusCode switch
            {
                HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout =>
                    MetricQueryResult.Unreachable($"{Address} answered {(int)response.StatusCode}: {PrometheusResponseParser.Truncate(body)}"),
                >= HttpStatusCode.BadRequest =>
                    MetricQueryResult.Failed($"error response {(int)response.StatusCode}: {PrometheusResponseParser.Truncate(body)}"),
                _ => PrometheusResponseParser.Parse(body),
            };
        }
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
