using System.Globalization;
using System.Text;
using System.Text.Json;
using Canary.Api.V1Beta1;
using Canary.MetricTemplates.Providers.Http;

namespace Canary.MetricTemplates.Providers.Backends;

/// <summary>
/// Splunk Observability Cloud (SignalFx) SignalFlow, run over the documented HTTP interface: the rendered program is
/// <c>POST</c>ed to <c>/v2/signalflow/execute?start&amp;stop&amp;immediate=true</c> on the stream host and the results
/// come back as Server-Sent Events (https://dev.splunk.com/observability/reference/api/signalflow/latest,
/// https://dev.splunk.com/observability/docs/signalflow/messages/), with the token of the template's Secret
/// (<c>sf_token_key</c>) as <c>X-SF-Token</c>. <c>address</c> (required) is the API host, https://api.{realm}.signalfx.com;
/// its <c>api</c> label becomes <c>stream</c> for SignalFlow, as in Flagger (which also takes wss://stream.{realm}…).
/// </summary>
/// <remarks>
/// Flagger runs the same computation over SignalFlow's WebSocket client; the HTTP execute endpoint is the same server,
/// program, parameters and messages, one request per computation, and with <c>stop</c> now and <c>immediate</c> the
/// stream ends by itself with <c>END_OF_CHANNEL</c>, so it is read in full within the attempt timeout and size limit.
/// The window is the metric's interval ending now (Flagger: ten intervals). As in Flagger the value is the last non-null
/// value the program published, no value is no data, and values of more than one time series are an error. Unlike
/// Flagger, an <c>error</c> message, a <c>CHANNEL_ABORT</c> or a stream cut before <c>END_OF_CHANNEL</c> fail the query
/// instead of judging the values received so far.
/// </remarks>
internal sealed class SplunkProvider : IMetricProvider
{
    /// <summary>The registration.</summary>
    public static MetricBackend Backend { get; } = new(MetricProviderTypes.Splunk, (context, spec) => new SplunkProvider(spec, context));

    private const string TokenKey = "sf_token_key";
    private const string TokenHeader = "X-SF-Token";

    private readonly MetricHttpClient _http;
    private readonly Uri _api;
    private readonly Uri _stream;
    private readonly string _token;
    private readonly TimeSpan _window;
    private readonly TimeProvider _time;
    private readonly IReadOnlyDictionary<string, IReadOnlyList<string>> _headers;

    private SplunkProvider(MetricProviderSpec spec, MetricBackendContext context)
    {
        var address = BackendAddress.Parse(Type, HttpScheme(spec.Address));
        _api = WithFirstLabel(address, "stream", "api");
        _stream = WithFirstLabel(address, "api", "stream");
        _token = spec.Credential(TokenKey) ?? throw new MetricProviderException($"splunk credentials does not contain {TokenKey}");
        _http = new MetricHttpClient(Type, context.ClientFor(spec), context.Pipeline, context.MaxResponseBytes, spec.SecretValues);
        _window = spec.Window;
        _time = context.Time;
        _headers = spec.Headers;
    }

    /// <inheritdoc />
    public string Type => MetricProviderTypes.Splunk;

    /// <summary>The host SignalFlow runs on: the address with its first label <c>api</c> made <c>stream</c>.</summary>
    internal Uri StreamAddress => _stream;

    /// <summary>The host of the REST API: the address with its first label <c>stream</c> made <c>api</c>.</summary>
    internal Uri ApiAddress => _api;

    /// <inheritdoc />
    public async Task<MetricQueryResult> RunQueryAsync(string query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var now = _time.GetUtcNow();
        var uri = BackendAddress.Endpoint(_stream, "v2/signalflow/execute", string.Create(
            CultureInfo.InvariantCulture, $"start={(now - _window).ToUnixTimeMilliseconds()}&stop={now.ToUnixTimeMilliseconds()}&immediate=true"));
        return await _http.QueryAsync(() => Execute(uri, query), _stream.Host, Parse, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>As Flagger: the metric search of the REST API (<c>GET /v2/metric?limit=1</c>) answers 200 to a valid token.</remarks>
    public async Task<MetricProviderHealth> IsOnlineAsync(CancellationToken cancellationToken)
    {
        var uri = BackendAddress.Endpoint(_api, "v2/metric", "limit=1");
        return await _http.ProbeAsync(() => WithHeaders(new HttpRequestMessage(HttpMethod.Get, uri)), _api.Host, cancellationToken);
    }

    private HttpRequestMessage Execute(Uri uri, string program)
    {
        // The program goes as rendered: SignalFlow is line-oriented, a multi-line program is several statements.
        var request = WithHeaders(new HttpRequestMessage(HttpMethod.Post, uri) { Content = new StringContent(program, Encoding.UTF8, "text/plain") });
        request.Headers.Accept.ParseAdd("text/event-stream");
        return request;
    }

    private HttpRequestMessage WithHeaders(HttpRequestMessage request)
    {
        BackendAddress.AddHeaders(request, _headers);
        request.Headers.Remove(TokenHeader);
        request.Headers.TryAddWithoutValidation(TokenHeader, _token);
        return request;
    }

    // Server-Sent Events: "event: <message type>" and "data: <JSON>" lines (a JSON spread over several data lines is
    // joined with newlines), an empty line ending each event. Types: control-message, message, metadata, data, event,
    // expired-tsid, error.
    private MetricQueryResult Parse(string body)
    {
        var values = new List<(string TsId, double Value)>();
        var ended = false;
        try
        {
            foreach (var (type, data) in Events(body))
            {
                if (data.Length == 0)
                {
                    continue;
                }

                using var json = JsonDocument.Parse(data);
                var message = json.RootElement;
                switch (type)
                {
                    // {"type":"data","channel":"R0","logicalTimestampMs":..,"data":[{"tsId":"AAAAAKRVo8s","value":9.5}]}
                    case "data":
                        values.AddRange(message.GetProperty("data").EnumerateArray()
                            .Where(p => p.TryGetProperty("value", out var v) && v.ValueKind == JsonValueKind.Number)
                            .Select(p => (p.GetProperty("tsId").GetString() ?? string.Empty, p.GetProperty("value").GetDouble())));
                        break;

                    // {"type":"error","error":400,"errorType":"...","message":"..."}: the computation stopped.
                    case "error":
                        return MetricQueryResult.Failed($"splunk: the SignalFlow computation failed: {Describe(message, "error", "errorType", "message")}");

                    case "control-message" when Text(message, "event") == "CHANNEL_ABORT":
                        var reason = !message.TryGetProperty("abortInfo", out var info) ? "no reason given"
                            : info.ValueKind == JsonValueKind.Object && Text(info, "sf_job_abortReason") is { } said ? said
                            : JsonSerializer.Serialize(info);
                        return MetricQueryResult.Failed($"splunk: the SignalFlow computation was aborted: {_http.Excerpt(reason)}");

                    case "control-message" when Text(message, "event") == "END_OF_CHANNEL":
                        ended = true;
                        break;
                }
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException)
        {
            return MetricQueryResult.Failed($"splunk answered an unexpected message: {e.Message}, '{_http.Excerpt(body)}'");
        }

        if (!ended)
        {
            // What came may be a part of the window: the connection broke before the computation ended.
            return MetricQueryResult.Unreachable($"splunk {_stream.Host}: the SignalFlow stream ended before END_OF_CHANNEL");
        }

        if (values.Count == 0)
        {
            return MetricQueryResult.NoData("splunk: the SignalFlow program published no values in the window");
        }

        var series = values.Select(v => v.TsId).Distinct(StringComparer.Ordinal).Count();
        return series > 1
            ? MetricQueryResult.Failed($"splunk: the program returned {series} time series; make it return one")
            : MetricQueryResult.Of(values[^1].Value);
    }

    private string Describe(JsonElement message, params string[] names) =>
        _http.Excerpt(string.Join(" ", names.Select(n => message.TryGetProperty(n, out var v) ? v.ToString() : null).Where(v => !string.IsNullOrEmpty(v))));

    private static string? Text(JsonElement message, string name) =>
        message.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    // As the SSE standard reads a stream: "field: value" lines (one optional space after the colon), ':' a comment, data
    // lines joined with newlines, an event dispatched at an empty line only when it has data, its type "message" by default.
    private static IEnumerable<(string Type, string Data)> Events(string body)
    {
        var type = "message";
        var data = new List<string>();
        using var reader = new StringReader(body);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0)
            {
                if (data.Count > 0)
                {
                    yield return (type, string.Join('\n', data));
                }

                type = "message";
                data.Clear();
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon == 0)
            {
                continue;
            }

            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? string.Empty : line[(colon + 1)..];
            value = value.StartsWith(' ') ? value[1..] : value;
            if (field == "event")
            {
                type = value;
            }
            else if (field == "data")
            {
                data.Add(value);
            }
        }

        // A last event without its blank line: the stream is over, read what it says (END_OF_CHANNEL, usually).
        if (data.Count > 0)
        {
            yield return (type, string.Join('\n', data));
        }
    }

    private static string? HttpScheme(string? address)
    {
        var text = address?.Trim();
        return text switch
        {
            null => null,
            _ when text.StartsWith("wss://", StringComparison.OrdinalIgnoreCase) => "https://" + text[6..],
            _ when text.StartsWith("ws://", StringComparison.OrdinalIgnoreCase) => "http://" + text[5..],
            _ => text,
        };
    }

    private static Uri WithFirstLabel(Uri address, string from, string to) =>
        address.HostNameType == UriHostNameType.Dns && address.Host.StartsWith(from + ".", StringComparison.OrdinalIgnoreCase)
            ? new UriBuilder(address) { Host = to + address.Host[from.Length..] }.Uri
            : address;
}
