using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Canary.Api.Http;
using Canary.Api.V1Beta1;
using Polly;
using Polly.Timeout;

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

    private readonly HttpClient _httpClient;
    private readonly Uri _queryEndpoint;
    private readonly PrometheusCredentials? _credentials;
    private readonly IReadOnlyDictionary<string, IReadOnlyList<string>> _headers;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;
    private readonly int _maxResponseBytes;

    internal PrometheusProvider(
        MetricProviderSpec spec, HttpClient httpClient, ResiliencePipeline<HttpResponseMessage> pipeline, int maxResponseBytes)
    {
        Address = ParseAddress(spec.Address);
        _queryEndpoint = QueryEndpoint(Address);
        _credentials = PrometheusCredentials.FromSecret(spec.Credentials);
        _headers = spec.Headers;
        _httpClient = httpClient;
        _pipeline = pipeline;
        _maxResponseBytes = maxResponseBytes;
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
                static (state, ct) => state.Provider.SendAsync(state.Uri, ct), (Provider: this, Uri: uri), cancellationToken);
        }
        catch (TimeoutRejectedException ex)
        {
            return MetricQueryResult.Unreachable($"request to {Address} timed out after {ex.Timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s");
        }
        catch (ResponseTooLargeException)
        {
            return MetricQueryResult.Failed($"answer of {Address} is larger than the limit of {FormatBytes(_maxResponseBytes)}");
        }
        catch (RedirectRefusedException ex)
        {
            return MetricQueryResult.Failed($"request to {Address} failed: {ex.Message}");
        }
        catch (HttpRequestException ex)
        {
            return MetricQueryResult.Unreachable($"request to {Address} failed: {ex.Message}");
        }

        using (response)
        {
            // Already buffered by SendAsync: this neither waits nor grows.
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

    // One attempt, body included, so the attempt timeout also ends an answer that trickles in, and the size limit one that
    // streams forever.
    private async ValueTask<HttpResponseMessage> SendAsync(Uri uri, CancellationToken cancellationToken)
    {
        using var request = CreateRequest(uri);
        var response = await _httpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        try
        {
            await response.Content.LoadIntoBufferAsync(_maxResponseBytes, cancellationToken);
            return response;
        }
        catch (HttpRequestException ex) when (ex.HttpRequestError == HttpRequestError.ConfigurationLimitExceeded)
        {
            response.Dispose();
            throw new ResponseTooLargeException(ex.Message, ex);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    private static string FormatBytes(int bytes) => bytes switch
    {
        >= 1024 * 1024 when bytes % (1024 * 1024) == 0 => FormattableString.Invariant($"{bytes / (1024 * 1024)} MiB"),
        >= 1024 when bytes % 1024 == 0 => FormattableString.Invariant($"{bytes / 1024} KiB"),
        _ => FormattableString.Invariant($"{bytes} bytes"),
    };

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
