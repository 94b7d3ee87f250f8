using System.Globalization;
using System.Text.Json;
using System.Xml;
using System.Xml.Linq;

namespace Canary.MetricTemplates.Providers.Backends;

/// <summary>
/// CloudWatch's Query protocol for <c>GetMetricData</c> as the API reference documents it
/// (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html, "Making API requests":
/// <c>POST /</c>, form-encoded <c>Action=GetMetricData&amp;Version=2010-08-01</c>, lists as <c>Name.member.N</c>, XML
/// answers and <c>ErrorResponse</c> errors). It is also what Flagger's aws-sdk-go v1 client sends, so the wire is the same.
/// </summary>
internal static class CloudWatchWire
{
    public const string ApiVersion = "2010-08-01";

    private enum Kind
    {
        Text,
        Integer,
        Boolean,
        Structure,
        List,
    }

    private sealed record Field(string Name, Kind Kind, IReadOnlyList<Field>? Members = null);

    // The MetricDataQuery shape (API_MetricDataQuery.html). Fields not listed are dropped, and names match case-insensitively,
    // as Go's encoding/json does when Flagger unmarshals the template's query into []*cloudwatch.MetricDataQuery.
    private static readonly Field[] Dimension = [new("Name", Kind.Text), new("Value", Kind.Text)];
    private static readonly Field[] Metric = [new("Namespace", Kind.Text), new("MetricName", Kind.Text), new("Dimensions", Kind.List, Dimension)];
    private static readonly Field[] MetricStat = [new("Metric", Kind.Structure, Metric), new("Period", Kind.Integer), new("Stat", Kind.Text), new("Unit", Kind.Text)];
    private static readonly Field[] MetricDataQuery =
    [
        new("Id", Kind.Text), new("AccountId", Kind.Text), new("Expression", Kind.Text), new("Label", Kind.Text),
        new("MetricStat", Kind.Structure, MetricStat), new("Period", Kind.Integer), new("ReturnData", Kind.Boolean),
    ];

    /// <summary>
    /// The template's query, a JSON array of MetricDataQuery, as <c>MetricDataQueries.member.N.*</c> form fields.
    /// </summary>
    /// <exception cref="JsonException">Not such an array; the message says where.</exception>
    public static IReadOnlyList<KeyValuePair<string, string>> MetricDataQueries(string query)
    {
        using var json = JsonDocument.Parse(query);
        if (json.RootElement.ValueKind != JsonValueKind.Array)
        {
            throw new JsonException($"cannot unmarshal {Describe(json.RootElement)} into a list of MetricDataQuery");
        }

        var fields = new List<KeyValuePair<string, string>>();
        var index = 0;
        foreach (var item in json.RootElement.EnumerateArray())
        {
            index++;
            Flatten(item, MetricDataQuery, $"MetricDataQueries.member.{index}.", fields, $"MetricDataQuery[{index - 1}]");
        }

        // An empty list is sent as the bare name, as the AWS SDKs do.
        return index == 0 ? [new("MetricDataQueries", string.Empty)] : fields;
    }

    /// <summary>The form body of one GetMetricData call.</summary>
    public static string GetMetricDataForm(
        IReadOnlyList<KeyValuePair<string, string>> queries, DateTimeOffset start, DateTimeOffset end, string? nextToken)
    {
        var fields = new List<KeyValuePair<string, string>>
        {
            new("Action", "GetMetricData"),
            new("Version", ApiVersion),
        };
        fields.AddRange(queries);
        fields.Add(new("StartTime", Timestamp(start)));
        fields.Add(new("EndTime", Timestamp(end)));

        // The API's default, said out loud: Values[0] is then the newest point, the one Flagger returns.
        fields.Add(new("ScanBy", "TimestampDescending"));
        if (!string.IsNullOrEmpty(nextToken))
        {
            fields.Add(new("NextToken", nextToken));
        }

        return string.Join("&", fields.Select(f => $"{AwsSigV4.UriEncode(f.Key)}={AwsSigV4.UriEncode(f.Value)}"));
    }

    /// <summary>ISO 8601 in UTC to the second, the timestamp format of the Query protocol.</summary>
    public static string Timestamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>One page of a GetMetricData answer.</summary>
    /// <param name="Results">MetricDataResults in the order of the answer.</param>
    /// <param name="NextToken">The token of the next page, or null.</param>
    /// <param name="Messages">Messages about the whole request (<c>Code: Value</c>).</param>
    public sealed record Page(IReadOnlyList<Result> Results, string? NextToken, IReadOnlyList<string> Messages);

    /// <summary>One MetricDataResult.</summary>
    /// <param name="Id">The query's Id.</param>
    /// <param name="StatusCode">Complete, PartialData, InternalError or Forbidden.</param>
    /// <param name="Points">(timestamp, value) pairs in the answer's order.</param>
    /// <param name="Messages">Messages about this result (<c>Code: Value</c>).</param>
    public sealed record Result(string Id, string? StatusCode, IReadOnlyList<(DateTimeOffset? At, double Value)> Points, IReadOnlyList<string> Messages);

    /// <summary>An AWS error: its code (SignatureDoesNotMatch, Throttling, ValidationError…) and message.</summary>
    public sealed record Error(string Code, string Message);

    /// <summary>Reads <c>GetMetricDataResponse/GetMetricDataResult</c> (API_GetMetricData.html, "Response Elements").</summary>
    /// <exception cref="FormatException">Not that document.</exception>
    public static Page ParsePage(string body)
    {
        var root = Load(body)?.Root;
        var result = root?.LocalName() == "GetMetricDataResponse" ? root.Child("GetMetricDataResult") : null;
        if (result is null)
        {
            throw new FormatException("no GetMetricDataResponse/GetMetricDataResult");
        }

        var results = result.Child("MetricDataResults")?.Members().Select(member =>
        {
            var timestamps = member.Child("Timestamps")?.Members().Select(t => (DateTimeOffset?)DateTimeOffset.Parse(t.Value, CultureInfo.InvariantCulture)).ToList() ?? [];
            var values = member.Child("Values")?.Members().Select(v => double.Parse(v.Value, NumberStyles.Float, CultureInfo.InvariantCulture)).ToList() ?? [];
            var points = values.Select((v, i) => (i < timestamps.Count ? timestamps[i] : null, v)).ToList();
            return new Result(member.Child("Id")?.Value ?? string.Empty, member.Child("StatusCode")?.Value, points, Messages(member));
        }).ToList() ?? [];
        return new Page(results, result.Child("NextToken")?.Value is { Length: > 0 } token ? token : null, Messages(result));
    }

    /// <summary>
    /// The error of an <c>ErrorResponse/Error</c> document (Query protocol, https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CommonErrors.html),
    /// or null when the body is something else (a proxy's page).
    /// </summary>
    public static Error? ParseError(string body)
    {
        try
        {
            var error = Load(body)?.Descendants().FirstOrDefault(e => e.LocalName() == "Error");
            return error?.Child("Code")?.Value is { Length: > 0 } code ? new Error(code, error.Child("Message")?.Value ?? string.Empty) : null;
        }
        catch (XmlException)
        {
            return null;
        }
    }

    /// <summary>AWS's throttling codes, which the SDKs retry with backoff (Query protocol: HTTP 400).</summary>
    public static bool IsThrottling(string code) =>
        code is "Throttling" or "ThrottlingException" or "ThrottledException" or "RequestThrottled" or "RequestThrottledException"
            or "TooManyRequestsException" or "RequestLimitExceeded" or "SlowDown";

    private static XDocument? Load(string body)
    {
        if (string.IsNullOrWhiteSpace(body) || body.TrimStart()[0] != '<')
        {
            return null;
        }

        // No DTDs, no external entities: the body comes from the network.
        using var reader = XmlReader.Create(new StringReader(body), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
        return XDocument.Load(reader);
    }

    private static List<string> Messages(XElement parent) =>
        parent.Child("Messages")?.Members().Select(m => $"{m.Child("Code")?.Value}: {m.Child("Value")?.Value}").ToList() ?? [];

    private static string LocalName(this XElement element) => element.Name.LocalName;

    private static XElement? Child(this XElement element, string name) => element.Elements().FirstOrDefault(e => e.Name.LocalName == name);

    private static IEnumerable<XElement> Members(this XElement element) => element.Elements().Where(e => e.Name.LocalName == "member");

    private static void Flatten(JsonElement value, IReadOnlyList<Field> fields, string prefix, List<KeyValuePair<string, string>> into, string path)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException($"cannot unmarshal {Describe(value)} into {path}");
        }

        var properties = value.EnumerateObject().ToList();
        foreach (var field in fields)
        {
            // Go prefers the exact name, then any case-insensitive match.
            var found = properties.FirstOrDefault(p => p.Name == field.Name);
            if (found.Value.ValueKind == JsonValueKind.Undefined)
            {
                found = properties.FirstOrDefault(p => string.Equals(p.Name, field.Name, StringComparison.OrdinalIgnoreCase));
            }

            var item = found.Value;
            if (item.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
            {
                continue;
            }

            var key = prefix + field.Name;
            var where = $"{path}.{field.Name}";
            switch (field.Kind)
            {
                case Kind.Text when item.ValueKind == JsonValueKind.String:
                    into.Add(new(key, item.GetString()!));
                    break;
                case Kind.Integer when item.ValueKind == JsonValueKind.Number && item.TryGetInt64(out var number):
                    into.Add(new(key, number.ToString(CultureInfo.InvariantCulture)));
                    break;
                case Kind.Boolean when item.ValueKind is JsonValueKind.True or JsonValueKind.False:
                    into.Add(new(key, item.GetBoolean() ? "true" : "false"));
                    break;
                case Kind.Structure:
                    Flatten(item, field.Members!, key + ".", into, where);
                    break;
                case Kind.List when item.ValueKind == JsonValueKind.Array:
                    var index = 0;
                    foreach (var member in item.EnumerateArray())
                    {
                        index++;
                        Flatten(member, field.Members!, $"{key}.member.{index}.", into, $"{where}[{index - 1}]");
                    }

                    break;
                default:
                    throw new JsonException($"cannot unmarshal {Describe(item)} into {where} of type {field.Kind.ToString().ToLowerInvariant()}");
            }
        }
    }

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "bool",
        _ => value.ValueKind.ToString().ToLowerInvariant(),
    };
}
