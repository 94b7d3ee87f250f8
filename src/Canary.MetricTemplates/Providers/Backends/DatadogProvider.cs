using System.Globalization;
using System.Text.Json;
using Canary.Api.V1Beta1;
using Canary.MetricTemplates.Providers.Http;

namespace Canary.MetricTemplates.Providers.Backends;

/// <summary>
/// Datadog's metrics query API (<c>GET /api/v1/query?from&amp;to&amp;query</c>, https://docs.datadoghq.com/api/latest/metrics/#query-timeseries-points)
/// with the API and application keys of the template's Secret (<c>datadog_api_key</c>, <c>datadog_application_key</c>)
/// as <c>DD-API-KEY</c> / <c>DD-APPLICATION-KEY</c>, against <c>address</c> (the site, default https://api.datadoghq.com).
/// </summary>
/// <remarks>
/// The window is the metric's interval ending now, and the value the newest point whose rollup bucket has closed (the
/// last one usually has not), else the oldest point. Flagger asks for ten intervals and returns their oldest point, a
/// value from up to ten intervals ago (fluxcd/flagger#1815). No series, no points or only null points is no data.
/// </remarks>
internal sealed class DatadogProvider : IMetricProvider
{
    /// <summary>The registration.</summary>
    public static MetricBackend Backend { get; } = new(MetricProviderTypes.Datadog, (context, spec) => new DatadogProvider(spec, context));

    /// <summary>Datadog's US1 site, Flagger's default.</summary>
    public const string DefaultAddress = "https://api.datadoghq.com";

    private const string ApiKeyKey = "datadog_api_key";
    private const string ApplicationKeyKey = "datadog_application_key";

    private readonly MetricHttpClient _http;
    private readonly Uri _address;
    private readonly string _apiKey;
    private readonly string _applicationKey;
    private readonly TimeSpan _window;
    private readonly TimeProvider _time;
    private readonly IReadOnlyDictionary<string, IReadOnlyList<string>> _headers;

    private DatadogProvider(MetricProviderSpec spec, MetricBackendContext context)
    {
        _address = BackendAddress.Parse(Type, spec.Address, DefaultAddress);
        _apiKey = spec.Credential(ApiKeyKey) ?? throw new MetricProviderException($"datadog credentials does not contain {ApiKeyKey}");
        _applicationKey = spec.Credential(ApplicationKeyKey) ?? throw new MetricProviderException($"datadog credentials does not contain {ApplicationKeyKey}");
        _http = new MetricHttpClient(Type, context.ClientFor(spec), context.Pipeline, context.MaxResponseBytes, spec.SecretValues);
        _window = spec.Window;
        _time = context.Time;
        _headers = spec.Headers;
    }

    /// <inheritdoc />
    public string Type => MetricProviderTypes.Datadog;

    /// <inheritdoc />
    public async Task<MetricQueryResult> RunQueryAsync(string query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var now = _time.GetUtcNow();
        var to = now.ToUnixTimeSeconds();
        var from = (now - _window).ToUnixTimeSeconds();
        var uri = BackendAddress.Endpoint(_address, "api/v1/query", string.Create(CultureInfo.InvariantCulture, $"from={from}&to={to}&query={Uri.EscapeDataString(query)}"));
        return await _http.QueryAsync(() => Request(uri), _address.Host, body => Parse(body, now), cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>Datadog's key validation (<c>GET /api/v1/validate</c>, <c>{"valid": true}</c>).</remarks>
    public Task<MetricProviderHealth> IsOnlineAsync(CancellationToken cancellationToken)
    {
        var uri = BackendAddress.Endpoint(_address, "api/v1/validate", string.Empty);
        return _http.ProbeAsync(() => Request(uri), _address.Host, cancellationToken);
    }

    private HttpRequestMessage Request(Uri uri)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, uri);
        BackendAddress.AddHeaders(request, _headers);
        request.Headers.Remove("DD-API-KEY");
        request.Headers.Remove("DD-APPLICATION-KEY");
        request.Headers.TryAddWithoutValidation("DD-API-KEY", _apiKey);
        request.Headers.TryAddWithoutValidation("DD-APPLICATION-KEY", _applicationKey);
        return request;
    }

    // {"status":"ok","series":[{"interval":20,"pointlist":[[1733400000000.0, 12.5], ...], ...}], "error": ...}
    private MetricQueryResult Parse(string body, DateTimeOffset now)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            if (root.TryGetProperty("status", out var status) && status.GetString() == "error")
            {
                var error = root.TryGetProperty("error", out var e) ? e.ToString() : body;
                return MetricQueryResult.Failed($"datadog rejected the query: {_http.Excerpt(error)}");
            }

            if (!root.TryGetProperty("series", out var series) || series.ValueKind != JsonValueKind.Array || series.GetArrayLength() == 0)
            {
                return MetricQueryResult.NoData("datadog returned no series");
            }

            var first = series[0];
            var bucket = first.TryGetProperty("interval", out var i) && i.TryGetDouble(out var seconds) ? TimeSpan.FromSeconds(seconds) : TimeSpan.Zero;
            var points = first.GetProperty("pointlist").EnumerateArray()
                .Where(p => p.GetArrayLength() >= 2 && p[1].ValueKind == JsonValueKind.Number)
                .Select(p => (At: DateTimeOffset.FromUnixTimeMilliseconds((long)p[0].GetDouble()), Value: p[1].GetDouble()))
                .ToList();
            if (points.Count == 0)
            {
                return MetricQueryResult.NoData("datadog returned no points in the window");
            }

            var closed = points.Where(p => p.At + bucket <= now).ToList();
            return MetricQueryResult.Of(closed.Count > 0 ? closed[^1].Value : points[0].Value);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException or FormatException)
        {
            return MetricQueryResult.Failed($"datadog answered an unexpected shape: {e.Message}, '{_http.Excerpt(body)}'");
        }
    }
}
