using System.Globalization;
using System.Text.Json;
using Canary.Api.V1Beta1;
using Canary.MetricTemplates.Providers.Http;

namespace Canary.MetricTemplates.Providers.Backends;

/// <summary>
/// Dynatrace's Metrics API v2 (<c>GET /api/v2/metrics/query?metricSelector&amp;resolution=Inf&amp;from&amp;to</c>,
/// https://docs.dynatrace.com/docs/dynatrace-api/environment-api/metric-v2/get-data-points) with the token of the
/// template's Secret (<c>dynatrace_token</c>) as <c>Authorization: Api-Token …</c>, against <c>address</c>, the
/// environment URL (required: https://{env}.live.dynatrace.com, or https://{domain}/e/{env} for Managed).
/// </summary>
/// <remarks>
/// The window is the metric's interval ending now (Flagger asks for ten intervals), folded into one value per series by
/// <c>resolution=Inf</c>, as Flagger does. The value is Flagger's: the first metric's last series. The API pages series
/// (100 a page by default) and says more are coming with <c>nextPageKey</c>; a page is never taken for the answer: the
/// following pages are fetched (with <c>nextPageKey</c> alone, as the API requires) so the last series is the
/// selector's last one. No series, or a null value (no data points in the window), is no data; Flagger reads a null as 0.
/// </remarks>
internal sealed class DynatraceProvider : IMetricProvider
{
    /// <summary>The registration.</summary>
    public static MetricBackend Backend { get; } = new(MetricProviderTypes.Dynatrace, (context, spec) => new DynatraceProvider(spec, context));

    /// <summary>
    /// Pages followed before giving up: 20 pages of 100 series is a selector that needs a filter, and an endless chain of
    /// page keys must not hold the analysis.
    /// </summary>
    public const int MaxPages = 20;

    private const string TokenKey = "dynatrace_token";

    private readonly MetricHttpClient _http;
    private readonly Uri _address;
    private readonly string _token;
    private readonly TimeSpan _window;
    private readonly TimeProvider _time;
    private readonly IReadOnlyDictionary<string, IReadOnlyList<string>> _headers;

    private DynatraceProvider(MetricProviderSpec spec, MetricBackendContext context)
    {
        _address = BackendAddress.Parse(Type, spec.Address);
        _token = spec.Credential(TokenKey) ?? throw new MetricProviderException($"dynatrace credentials does not contain {TokenKey}");
        _http = new MetricHttpClient(Type, context.ClientFor(spec), context.Pipeline, context.MaxResponseBytes, spec.SecretValues);
        _window = spec.Window;
        _time = context.Time;
        _headers = spec.Headers;
    }

    /// <inheritdoc />
    public string Type => MetricProviderTypes.Dynatrace;

    /// <inheritdoc />
    public async Task<MetricQueryResult> RunQueryAsync(string query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var now = _time.GetUtcNow();
        var uri = BackendAddress.Endpoint(_address, "api/v2/metrics/query", string.Create(
            CultureInfo.InvariantCulture,
            $"metricSelector={Uri.EscapeDataString(query.Trim())}&resolution=Inf&from={(now - _window).ToUnixTimeMilliseconds()}&to={now.ToUnixTimeMilliseconds()}"));
        var answer = new Answer();
        for (var page = 1; ; page++)
        {
            var (reply, failure) = await _http.SendAsync(() => Request(uri), _address.Host, cancellationToken);
            if (reply is null)
            {
                return failure!;
            }

            if (!reply.IsSuccess)
            {
                return _http.Failure(reply, _address.Host);
            }

            if (Read(reply.Body, answer) is { } unreadable)
            {
                return unreadable;
            }

            if (answer.NextPageKey is not { } next)
            {
                return answer.Result();
            }

            if (page == MaxPages)
            {
                return MetricQueryResult.Failed(
                    $"dynatrace: the selector yields more than {MaxPages} pages of series ({answer.TotalCount} in all); filter or fold it to the series to judge");
            }

            uri = BackendAddress.Endpoint(_address, "api/v2/metrics/query", "nextPageKey=" + Uri.EscapeDataString(next));
        }
    }

    /// <inheritdoc />
    /// <remarks>As Flagger: the metric list (<c>GET /api/v2/metrics?pageSize=1</c>) answers 200 to a valid token.</remarks>
    public Task<MetricProviderHealth> IsOnlineAsync(CancellationToken cancellationToken)
    {
        var uri = BackendAddress.Endpoint(_address, "api/v2/metrics", "pageSize=1");
        return _http.ProbeAsync(() => Request(uri), _address.Host, cancellationToken);
    }

    private HttpRequestMessage Request(Uri uri)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, uri);
        BackendAddress.AddHeaders(request, _headers);
        request.Headers.Remove("Authorization");
        request.Headers.TryAddWithoutValidation("Authorization", "Api-Token " + _token);
        request.Headers.Accept.ParseAdd("application/json");
        return request;
    }

    // One page: {"totalCount": 2, "nextPageKey": null, "resolution": "Inf", "warnings": [...],
    //  "result": [{"metricId": "...", "data": [{"dimensions": [...], "dimensionMap": {...}, "timestamps": [ms], "values": [v|null]}]}]}
    private MetricQueryResult? Read(string body, Answer answer)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            answer.NextPageKey = root.TryGetProperty("nextPageKey", out var key) && key.ValueKind == JsonValueKind.String ? key.GetString() : null;
            answer.TotalCount = root.TryGetProperty("totalCount", out var total) && total.TryGetInt64(out var count) ? count : answer.TotalCount;
            if (root.TryGetProperty("warnings", out var warnings) && warnings.ValueKind == JsonValueKind.Array)
            {
                answer.Warnings.AddRange(warnings.EnumerateArray().Select(w => w.ToString()));
            }

            foreach (var collection in root.GetProperty("result").EnumerateArray())
            {
                var metricId = collection.GetProperty("metricId").GetString();

                // Flagger reads result[0]: the selector's first metric; a page repeats it for the page's series.
                answer.MetricId ??= metricId;
                if (metricId != answer.MetricId || !collection.TryGetProperty("data", out var data))
                {
                    continue;
                }

                foreach (var series in data.EnumerateArray())
                {
                    var values = series.GetProperty("values");
                    answer.LastValue = values.GetArrayLength() > 0 && values[values.GetArrayLength() - 1].ValueKind == JsonValueKind.Number
                        ? values[values.GetArrayLength() - 1].GetDouble()
                        : null;
                    answer.Series++;
                }
            }

            return null;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException)
        {
            return MetricQueryResult.Failed($"dynatrace answered an unexpected shape: {e.Message}, '{_http.Excerpt(body)}'");
        }
    }

    private sealed class Answer
    {
        public string? NextPageKey { get; set; }

        public long TotalCount { get; set; }

        public string? MetricId { get; set; }

        public int Series { get; set; }

        public double? LastValue { get; set; }

        public List<string> Warnings { get; } = [];

        public MetricQueryResult Result()
        {
            var warned = Warnings.Count > 0 ? $" ({string.Join("; ", Warnings)})" : string.Empty;
            if (Series == 0)
            {
                return MetricQueryResult.NoData($"dynatrace returned no series{(MetricId is null ? string.Empty : " for " + MetricId)}{warned}");
            }

            return LastValue is { } value
                ? MetricQueryResult.Of(value)
                : MetricQueryResult.NoData($"dynatrace returned no value for {MetricId} in the window{warned}");
        }
    }
}
