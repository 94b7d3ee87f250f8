using System.Globalization;
using System.Text.Json;
using Canary.Api.V1Beta1;
using Canary.MetricTemplates.Providers.Http;

namespace Canary.MetricTemplates.Providers.Backends;

/// <summary>
/// New Relic's Insights query API (<c>GET /v1/accounts/{account}/query?nrql=</c>,
/// https://docs.newrelic.com/docs/apis/insights-apis/query-insights-event-data-api) with the account and query key of the
/// template's Secret (<c>newrelic_account_id</c>, <c>newrelic_query_key</c> as <c>X-Query-Key</c>), against
/// <c>address</c> (default https://insights-api.newrelic.com; EU accounts use https://insights-api.eu.newrelic.com).
/// </summary>
/// <remarks>
/// As in Flagger the rendered NRQL gets <c> SINCE {interval in seconds} seconds ago</c> appended, so the window is the
/// metric's interval ending now. The value is the one number of the one result, whatever the function names it
/// (<c>{"results":[{"result": 1.5}]}</c> for arithmetic, <c>count</c>, <c>average</c>, ..., or a one-entry
/// <c>percentile</c> object). Flagger reads only a key named <c>result</c>, so there <c>SELECT count(*)</c> is "no values".
/// No result or a null value (no events in the window) is no data; several results or values are an error naming them
/// (Flagger: no values), as is an answer without <c>results</c> (FACET, TIMESERIES).
/// </remarks>
internal sealed class NewRelicProvider : IMetricProvider
{
    /// <summary>The registration.</summary>
    public static MetricBackend Backend { get; } = new(MetricProviderTypes.NewRelic, (context, spec) => new NewRelicProvider(spec, context));

    /// <summary>New Relic's US Insights query host, Flagger's default.</summary>
    public const string DefaultAddress = "https://insights-api.newrelic.com";

    private const string AccountIdKey = "newrelic_account_id";
    private const string QueryKeyKey = "newrelic_query_key";
    private const string QueryKeyHeader = "X-Query-Key";

    // Flagger's IsOnline asks for SELECT * (up to 100 raw events); one count answers "key and account accepted" as well.
    private const string HealthQuery = "SELECT count(*) FROM Metric";

    private readonly MetricHttpClient _http;
    private readonly Uri _address;
    private readonly string _accountId;
    private readonly string _queryKey;
    private readonly long _sinceSeconds;
    private readonly IReadOnlyDictionary<string, IReadOnlyList<string>> _headers;

    private NewRelicProvider(MetricProviderSpec spec, MetricBackendContext context)
    {
        _address = BackendAddress.Parse(Type, spec.Address, DefaultAddress);
        _accountId = spec.Credential(AccountIdKey) ?? throw new MetricProviderException($"newrelic credentials does not contain the key '{AccountIdKey}'");
        _queryKey = spec.Credential(QueryKeyKey) ?? throw new MetricProviderException($"newrelic credentials does not contain the key '{QueryKeyKey}'");

        // The account ID becomes a path segment: anything but digits would ask some other URL (and is no account anyway).
        if (!_accountId.All(char.IsAsciiDigit))
        {
            throw new MetricProviderException($"newrelic credentials: {AccountIdKey} is not a New Relic account ID (digits only)");
        }

        _http = new MetricHttpClient(Type, context.ClientFor(spec), context.Pipeline, context.MaxResponseBytes, spec.SecretValues);
        _sinceSeconds = Math.Max(1, (long)spec.Window.TotalSeconds);
        _headers = spec.Headers;
    }

    /// <inheritdoc />
    public string Type => MetricProviderTypes.NewRelic;

    /// <inheritdoc />
    public async Task<MetricQueryResult> RunQueryAsync(string query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        return await _http.QueryAsync(() => Request(query), _address.Host, Parse, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>As Flagger: a query of the Metric events must be answered 200 (account and key accepted).</remarks>
    public async Task<MetricProviderHealth> IsOnlineAsync(CancellationToken cancellationToken)
    {
        return await _http.ProbeAsync(() => Request(HealthQuery), _address.Host, cancellationToken);
    }

    private HttpRequestMessage Request(string query)
    {
        // The template's block scalar ends with a newline; the clause goes after the NRQL, not on a line of its own.
        var nrql = string.Create(CultureInfo.InvariantCulture, $"{query.TrimEnd()} SINCE {_sinceSeconds} seconds ago");
        var uri = BackendAddress.Endpoint(_address, $"v1/accounts/{_accountId}/query", "nrql=" + Uri.EscapeDataString(nrql));
        var request = new HttpRequestMessage(HttpMethod.Get, uri);
        BackendAddress.AddHeaders(request, _headers);
        request.Headers.Remove(QueryKeyHeader);
        request.Headers.TryAddWithoutValidation(QueryKeyHeader, _queryKey);
        request.Headers.Accept.ParseAdd("application/json");
        return request;
    }

    // {"results":[{"result": 1.5}], "metadata": {...}}; a percentile is {"percentile": {"95": 0.12}}.
    private MetricQueryResult Parse(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("results", out var results) || results.ValueKind != JsonValueKind.Array)
            {
                return MetricQueryResult.Failed($"newrelic answered no results (a FACET or TIMESERIES query?); make the query select one value: '{_http.Excerpt(body)}'");
            }

            if (results.GetArrayLength() == 0)
            {
                return MetricQueryResult.NoData("newrelic returned no results");
            }

            if (results.GetArrayLength() > 1)
            {
                return MetricQueryResult.Failed($"newrelic: the query returned {results.GetArrayLength()} results; make it select one value: '{_http.Excerpt(body)}'");
            }

            return Value(results[0], body);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return MetricQueryResult.Failed($"newrelic answered an unexpected shape: {e.Message}, '{_http.Excerpt(body)}'");
        }
    }

    private MetricQueryResult Value(JsonElement result, string body)
    {
        var values = result.ValueKind == JsonValueKind.Object ? result.EnumerateObject().ToList() : [];
        if (values.Count != 1)
        {
            return MetricQueryResult.Failed(
                $"newrelic: the result has {values.Count} values ({string.Join(", ", values.Select(v => v.Name))}); make the query select one: '{_http.Excerpt(body)}'");
        }

        var (name, value) = (values[0].Name, values[0].Value);

        // percentile(x, 95) answers {"percentile": {"95": 0.12}}: one level down, still one number.
        if (value.ValueKind == JsonValueKind.Object && value.EnumerateObject().ToList() is [var inner])
        {
            (name, value) = ($"{name}.{inner.Name}", inner.Value);
        }

        return value.ValueKind switch
        {
            JsonValueKind.Number => MetricQueryResult.Of(value.GetDouble()),
            JsonValueKind.Null => MetricQueryResult.NoData($"newrelic returned no value for {name} (no events in the window)"),
            _ => MetricQueryResult.Failed($"newrelic: {name} is not a number: '{_http.Excerpt(body)}'"),
        };
    }
}
