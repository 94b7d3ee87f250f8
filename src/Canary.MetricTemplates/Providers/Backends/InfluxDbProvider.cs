using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Canary.Api.V1Beta1;
using Canary.MetricTemplates.Providers.Http;
using InfluxDB.Client.Core.Flux.Domain;
using InfluxDB.Client.Core.Flux.Exceptions;
using InfluxDB.Client.Core.Flux.Serialization;

namespace Canary.MetricTemplates.Providers.Backends;

/// <summary>
/// InfluxDB, in both of its query languages. A Flux query (Flagger's influxdb provider) goes to InfluxDB 2's
/// <c>POST /api/v2/query?org=</c> with <c>Authorization: Token &lt;token&gt;</c>, and its annotated CSV answer is read
/// with InfluxDB.Client's parser: the first record's <c>_value</c>. A query starting with <c>SELECT</c> is InfluxQL for
/// InfluxDB 1.x (<c>GET /query?db=&amp;q=&amp;epoch=ms</c>, the database from the address' <c>db</c> parameter, e.g.
/// <c>http://influxdb:8086?db=telegraf</c>; <c>username</c>/<c>password</c> from the Secret as basic auth, or a
/// <c>token</c>): the first value of the first series.
/// </summary>
/// <remarks>
/// Differences from Flagger: an empty answer is no data (Flagger returns 0, a silent pass for an error count); <c>org</c>
/// is optional (InfluxDB derives it from a token scoped to one organisation; Flagger requires it); InfluxQL is new.
/// </remarks>
internal sealed class InfluxDbProvider : IMetricProvider
{
    /// <summary>The registration.</summary>
    public static MetricBackend Backend { get; } = new(MetricProviderTypes.InfluxDb, (context, spec) => new InfluxDbProvider(spec, context));

    private readonly MetricHttpClient _http;
    private readonly Uri _address;
    private readonly string? _database;
    private readonly string? _token;
    private readonly string? _org;
    private readonly AuthenticationHeaderValue? _basic;
    private readonly IReadOnlyDictionary<string, IReadOnlyList<string>> _headers;

    private InfluxDbProvider(MetricProviderSpec spec, MetricBackendContext context)
    {
        var address = BackendAddress.Parse(Type, spec.Address);
        _database = System.Web.HttpUtility.ParseQueryString(address.Query)["db"];
        _address = new UriBuilder(address) { Query = string.Empty }.Uri;
        if (spec.Credentials is not null)
        {
            _token = spec.Credential("token");
            _org = spec.Credential("org");
            var (user, password) = (spec.Credential("username"), spec.Credential("password"));
            if (user is not null)
            {
                _basic = BasicAuthentication.Header(user, password);
            }

            if (_token is null && _basic is null)
            {
                throw new MetricProviderException("influxdb credentials does not contain an authentication token (token) or a username and password");
            }
        }

        _http = new MetricHttpClient(Type, context.ClientFor(spec), context.Pipeline, context.MaxResponseBytes, spec.SecretValues);
        _headers = spec.Headers;
    }

    /// <inheritdoc />
    public string Type => MetricProviderTypes.InfluxDb;

    /// <inheritdoc />
    public Task<MetricQueryResult> RunQueryAsync(string query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        return query.TrimStart().StartsWith("SELECT", StringComparison.OrdinalIgnoreCase)
            ? InfluxQlAsync(query.Trim(), cancellationToken)
            : FluxAsync(query, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks><c>GET /ping</c>, which InfluxDB 1.x and 2.x both answer with 204 (Flagger runs a Flux query on a "default" bucket).</remarks>
    public Task<MetricProviderHealth> IsOnlineAsync(CancellationToken cancellationToken)
    {
        var uri = BackendAddress.Endpoint(_address, "ping", string.Empty);
        return _http.ProbeAsync(() => Request(HttpMethod.Get, uri), _address.Authority, cancellationToken);
    }

    private async Task<MetricQueryResult> InfluxQlAsync(string query, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(_database))
        {
            return MetricQueryResult.Failed("influxdb: an InfluxQL query needs the database as the address' db parameter (e.g. http://influxdb:8086?db=telegraf)");
        }

        var uri = BackendAddress.Endpoint(_address, "query", $"db={Uri.EscapeDataString(_database)}&epoch=ms&q={Uri.EscapeDataString(query)}");
        var (answer, failure) = await _http.SendAsync(() => Request(HttpMethod.Get, uri), _address.Authority, cancellationToken);
        if (answer is null)
        {
            return failure!;
        }

        return answer.IsSuccess || answer.StatusCode == HttpStatusCode.BadRequest && answer.Body.Contains("\"error\"", StringComparison.Ordinal)
            ? ParseInfluxQl(answer.Body)
            : _http.Failure(answer, _address.Authority);
    }

    // {"results":[{"statement_id":0,"series":[{"name":"m","columns":["time","x"],"values":[[1733400000000, 12.5]]}]}]},
    // or {"results":[{"statement_id":0,"error":"..."}]}, or {"error":"..."} with 400.
    private MetricQueryResult ParseInfluxQl(string body)
    {
        try
        {
            var root = JsonNode.Parse(body)!;
            if ((string?)root["error"] is { } error)
            {
                return MetricQueryResult.Failed($"influxdb rejected the query: {_http.Excerpt(error)}");
            }

            var result = root["results"]?[0];
            if ((string?)result?["error"] is { } statementError)
            {
                return MetricQueryResult.Failed($"influxdb rejected the query: {_http.Excerpt(statementError)}");
            }

            if (result?["series"]?[0] is not JsonObject series || series["values"]?[0] is not JsonArray row)
            {
                return MetricQueryResult.NoData("influxdb returned no series");
            }

            var columns = series["columns"] as JsonArray ?? [];
            var index = Enumerable.Range(0, columns.Count).FirstOrDefault(i => (string?)columns[i] != "time", -1);
            return index < 0 || index >= row.Count || row[index] is not JsonValue value
                ? MetricQueryResult.NoData("influxdb returned a row without a value")
                : value.TryGetValue<double>(out var number) ? MetricQueryResult.Of(number) : MetricQueryResult.Failed($"influxdb returned a value that is not a number: {_http.Excerpt(value.ToJsonString())}");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return MetricQueryResult.Failed($"influxdb answered an unexpected shape: {e.Message}, '{_http.Excerpt(body)}'");
        }
    }

    private async Task<MetricQueryResult> FluxAsync(string query, CancellationToken cancellationToken)
    {
        var uri = BackendAddress.Endpoint(_address, "api/v2/query", _org is null ? string.Empty : "org=" + Uri.EscapeDataString(_org));
        var body = new JsonObject
        {
            ["query"] = query,
            ["type"] = "flux",
            ["dialect"] = new JsonObject { ["header"] = true, ["annotations"] = new JsonArray("datatype", "group", "default"), ["delimiter"] = "," },
        }.ToJsonString();
        var (answer, failure) = await _http.SendAsync(
            () =>
            {
                var request = Request(HttpMethod.Post, uri);
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/csv"));
                request.Content = new StringContent(body, Encoding.UTF8, "application/json");
                return request;
            },
            _address.Authority,
            cancellationToken);
        if (answer is null)
        {
            return failure!;
        }

        if (!answer.IsSuccess)
        {
            // {"code":"invalid","message":"compilation failed: ..."}
            var message = TryMessage(answer.Body);
            return message is null ? _http.Failure(answer, _address.Authority) : MetricQueryResult.Failed($"influxdb {_address.Authority} answered {(int)answer.StatusCode}: {_http.Excerpt(message)}");
        }

        return ParseFlux(answer.Body, cancellationToken);
    }

    private MetricQueryResult ParseFlux(string csv, CancellationToken cancellationToken)
    {
        List<FluxTable> tables;
        try
        {
            tables = new AnnotatedCsvParser().Parse(csv, cancellationToken);
        }
        catch (Exception e) when (e is FluxCsvParserException or FluxQueryException or FormatException or InvalidOperationException)
        {
            return MetricQueryResult.Failed($"influxdb answered an unexpected shape: {_http.Excerpt(e.Message)}");
        }

        if (tables.SelectMany(t => t.Records).FirstOrDefault() is not { } record)
        {
            return MetricQueryResult.NoData("influxdb returned no records");
        }

        return record.GetValue() switch
        {
            null => MetricQueryResult.NoData("influxdb returned a record without _value"),
            double d => MetricQueryResult.Of(d),
            long l => MetricQueryResult.Of(l),
            ulong u => MetricQueryResult.Of(u),
            int i => MetricQueryResult.Of(i),
            var other => MetricQueryResult.Failed($"influxdb returned a _value that is not a number: {_http.Excerpt(Convert.ToString(other, CultureInfo.InvariantCulture) ?? string.Empty)}"),
        };
    }

    private static string? TryMessage(string body)
    {
        try
        {
            return (string?)JsonNode.Parse(body)?["message"];
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private HttpRequestMessage Request(HttpMethod method, Uri uri)
    {
        var request = new HttpRequestMessage(method, uri);
        BackendAddress.AddHeaders(request, _headers);
        if (_token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Token", _token);
        }
        else if (_basic is not null)
        {
            request.Headers.Authorization = _basic;
        }

        return request;
    }
}
