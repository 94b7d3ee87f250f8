using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using Canary.Api.V1Beta1;
using Canary.MetricTemplates.Providers.Http;

namespace Canary.MetricTemplates.Providers.Backends;

/// <summary>
/// Graphite's render API as Flagger's graphite provider: the query is the render parameters
/// (<c>target=...&amp;from=...</c>, whitespace collapsed), sent as <c>GET &lt;address&gt;/render?...&amp;format=json</c>,
/// with basic auth from the Secret's <c>username</c>/<c>password</c>; the value is the last non-null datapoint of the
/// answer (over every series, in order), none is no data. Without <c>from</c>, Graphite answers the last 24 hours.
/// </summary>
internal sealed partial class GraphiteProvider : IMetricProvider
{
    /// <summary>The registration.</summary>
    public static MetricBackend Backend { get; } = new(MetricProviderTypes.Graphite, (context, spec) => new GraphiteProvider(spec, context));

    private readonly MetricHttpClient _http;
    private readonly Uri _address;
    private readonly AuthenticationHeaderValue? _basic;
    private readonly IReadOnlyDictionary<string, IReadOnlyList<string>> _headers;

    private GraphiteProvider(MetricProviderSpec spec, MetricBackendContext context)
    {
        _address = BackendAddress.Parse(Type, spec.Address);
        if (spec.Credentials is not null)
        {
            var user = spec.Credential("username") ?? throw new MetricProviderException("graphite credentials does not contain a username");
            var password = spec.Credential("password") ?? throw new MetricProviderException("graphite credentials does not contain a password");
            _basic = BasicAuthentication.Header(user, password);
        }

        _http = new MetricHttpClient(Type, context.ClientFor(spec), context.Pipeline, context.MaxResponseBytes, spec.SecretValues);
        _headers = spec.Headers;
    }

    /// <inheritdoc />
    public string Type => MetricProviderTypes.Graphite;

    /// <inheritdoc />
    public async Task<MetricQueryResult> RunQueryAsync(string query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);

        // The render parameters as written (Flagger joins the lines with spaces); format is always json.
        var parameters = Whitespace().Replace(query, " ").Trim();
        var pairs = parameters.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .Where(p => !p[0].Equals("format", StringComparison.OrdinalIgnoreCase))
            .Select(p => Encode(p[0]) + "=" + Encode(p.Length > 1 ? p[1] : string.Empty));
        var uri = BackendAddress.Endpoint(_address, "render", string.Join('&', pairs.Append("format=json")));
        return await _http.QueryAsync(() => Request(uri), _address.Authority, Parse, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>Flagger's probe: <c>target=test</c> answers (with or without data).</remarks>
    public async Task<MetricProviderHealth> IsOnlineAsync(CancellationToken cancellationToken)
    {
        var result = await RunQueryAsync("target=test", cancellationToken);
        return result.Status is MetricQueryStatus.Value or MetricQueryStatus.NoData
            ? MetricProviderHealth.Online
            : MetricProviderHealth.Offline($"running query failed: {result.Detail}");
    }

    private HttpRequestMessage Request(Uri uri)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, uri);
        BackendAddress.AddHeaders(request, _headers);
        if (_basic is not null)
        {
            request.Headers.Authorization = _basic;
        }

        return request;
    }

    // [{"target": "...", "datapoints": [[value or null, unix seconds], ...]}, ...]; values may come as strings.
    private MetricQueryResult Parse(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            double? last = null;
            foreach (var series in json.RootElement.EnumerateArray())
            {
                foreach (var point in series.GetProperty("datapoints").EnumerateArray())
                {
                    last = point[0] switch
                    {
                        { ValueKind: JsonValueKind.Number } n => n.GetDouble(),
                        { ValueKind: JsonValueKind.String } s when double.TryParse(s.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
                        _ => last,
                    };
                }
            }

            return last is { } value ? MetricQueryResult.Of(value) : MetricQueryResult.NoData("graphite returned no datapoints with a value");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException or IndexOutOfRangeException)
        {
            return MetricQueryResult.Failed($"graphite answered an unexpected shape: {e.Message}, '{_http.Excerpt(body)}'");
        }
    }

    // A value written already encoded (%2C) is decoded first, as Flagger's URL parsing does, then encoded once.
    private static string Encode(string value) => Uri.EscapeDataString(Uri.UnescapeDataString(value.Trim()));

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
