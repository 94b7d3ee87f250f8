using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Canary.Testing.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Canary.MetricTemplates.Tests.Backends;

/// <summary>
/// CloudWatch's GetMetricData over the Query protocol, as AWS documents it: the API reference
/// (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html: request parameters
/// <c>MetricDataQueries.member.N</c>, StartTime, EndTime, ScanBy, NextToken; response <c>GetMetricDataResponse/GetMetricDataResult</c>
/// with <c>MetricDataResults.member.N</c> of Id, Label, Timestamps, Values, StatusCode Complete/PartialData/InternalError,
/// and NextToken), its Common Errors page (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CommonErrors.html:
/// 403 InvalidClientTokenId, 403 SignatureDoesNotMatch / MissingAuthenticationToken, 400 ValidationError, 400
/// Throttling) in the Query protocol's <c>ErrorResponse</c> XML, and Signature Version 4
/// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html), which this server
/// recomputes itself from the request it received, with its own copy of the secret, and its own code.
/// </summary>
internal sealed class CloudWatchApi(Func<DateTimeOffset> now, string region = CloudWatchApi.DefaultRegion)
{
    public const string AccessKeyId = "AKIAIOSFODNN7CANARY1";
    public const string SecretAccessKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYCANARYKEY1";
    public const string DefaultRegion = "eu-west-1";
    private const string Namespace = "http://monitoring.amazonaws.com/doc/2010-08-01/";

    /// <summary>Data points per metric Id (timestamps are the start of each period), as CloudWatch would compute them.</summary>
    public Dictionary<string, List<(DateTimeOffset At, double Value)>> Data { get; } = [];

    /// <summary>Temporary credentials: this key pair then also needs this session token.</summary>
    public string? SessionToken { get; set; }

    /// <summary>Most data points in one answer before it pages (MaxDatapoints is CloudWatch's; this is its own limit).</summary>
    public int PageSize { get; set; } = 100_800;

    /// <summary>Answers the next this many calls with 400 Throttling "Rate exceeded".</summary>
    public int Throttled { get; set; }

    /// <summary>The first page of the next query says InternalError for every result, with a NextToken to retry with.</summary>
    public bool InternalErrorOnce { get; set; }

    /// <summary>The form fields of every call that passed authentication, in order.</summary>
    public List<Dictionary<string, string>> Calls { get; } = [];

    public Task<LoopbackServer> StartAsync() => LoopbackServer.StartAsync((context, request, _, ct) => HandleAsync(context, request, ct));

    private async Task HandleAsync(HttpContext context, RecordedRequest request, CancellationToken cancellationToken)
    {
        if (request.Method != "POST" || request.Path != "/")
        {
            await Error(context, 404, "Sender", "UnknownOperationException", string.Empty, cancellationToken);
            return;
        }

        if (Authenticate(context.Request, request) is { } refused)
        {
            await Error(context, refused.Status, "Sender", refused.Code, refused.Message, cancellationToken);
            return;
        }

        var form = QueryHelpers.ParseQuery(request.Body).ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal);
        if (form.GetValueOrDefault("Action") != "GetMetricData" || form.GetValueOrDefault("Version") != "2010-08-01")
        {
            await Error(context, 400, "Sender", "InvalidAction", $"Could not find operation {form.GetValueOrDefault("Action")} for version {form.GetValueOrDefault("Version")}", cancellationToken);
            return;
        }

        Calls.Add(form);
        if (Throttled > 0)
        {
            Throttled--;
            await Error(context, 400, "Sender", "Throttling", "Rate exceeded", cancellationToken);
            return;
        }

        var queries = Queries(form);
        if (queries.Count == 0)
        {
            await Error(context, 400, "Sender", "ValidationError", "1 validation error detected: Value null at 'metricDataQueries' failed to satisfy constraint: Member must not be null", cancellationToken);
            return;
        }

        if (queries.FirstOrDefault(q => !q.ContainsKey("Id")) is not null || !TryTime(form, "StartTime", out var start) || !TryTime(form, "EndTime", out var end))
        {
            await Error(context, 400, "Sender", "MissingParameter", "The parameters MetricDataQueries.member.N.Id, StartTime and EndTime are required.", cancellationToken);
            return;
        }

        if (start >= end)
        {
            await Error(context, 400, "Sender", "ValidationError", "The parameter StartTime must be less than the parameter EndTime.", cancellationToken);
            return;
        }

        if (queries.FirstOrDefault(q => q.GetValueOrDefault("Expression") is { } e && e.Count(c => c == '(') != e.Count(c => c == ')')) is { } broken)
        {
            await Error(context, 400, "Sender", "ValidationError", $"Error in expression '{broken["Id"]}': Syntax error", cancellationToken);
            return;
        }

        await Answer(context, Results(form, queries, start, end), cancellationToken);
    }

    // Signature Version 4, checked the way AWS documents its failures.
    private (int Status, string Code, string Message)? Authenticate(HttpRequest http, RecordedRequest request)
    {
        var authorization = request.Authorization;
        if (authorization is null || !authorization.StartsWith("AWS4-HMAC-SHA256 ", StringComparison.Ordinal))
        {
            return (403, "MissingAuthenticationToken", "Request is missing Authentication Token");
        }

        var parts = authorization["AWS4-HMAC-SHA256 ".Length..].Split(',', StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
        if (!parts.TryGetValue("Credential", out var credential) || !parts.TryGetValue("SignedHeaders", out var signedHeaders) || !parts.TryGetValue("Signature", out var signature))
        {
            return (400, "IncompleteSignature", $"Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters. Authorization={authorization}");
        }

        var scope = credential.Split('/');
        if (scope.Length != 5 || scope[0] != AccessKeyId)
        {
            return (403, "InvalidClientTokenId", "The security token included in the request is invalid.");
        }

        if (scope[2] != region)
        {
            return (403, "SignatureDoesNotMatch", $"Credential should be scoped to a valid region, not '{scope[2]}'. ");
        }

        if (scope[3] != "monitoring" || scope[4] != "aws4_request")
        {
            return (403, "SignatureDoesNotMatch", "Credential should be scoped to correct service: 'monitoring'. ");
        }

        var signed = signedHeaders.Split(';');
        if (!signed.Contains("host") || !signed.Contains("x-amz-date"))
        {
            return (403, "SignatureDoesNotMatch", "'Host' and 'X-Amz-Date' must be signed headers.");
        }

        var amzDate = request.Headers.GetValueOrDefault("X-Amz-Date") ?? string.Empty;
        if (!DateTimeOffset.TryParseExact(amzDate, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var signedAt)
            || scope[1] != amzDate[..8])
        {
            return (403, "SignatureDoesNotMatch", "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP.");
        }

        var serverNow = now();
        if ((serverNow - signedAt).Duration() > TimeSpan.FromMinutes(15))
        {
            return (403, "SignatureDoesNotMatch", $"Signature expired: {amzDate} is now earlier than {serverNow.AddMinutes(-15).UtcDateTime:yyyyMMdd'T'HHmmss'Z'} ({serverNow.UtcDateTime:yyyyMMdd'T'HHmmss'Z'} - 15 min.)");
        }

        if (SessionToken is not null && (request.Headers.GetValueOrDefault("X-Amz-Security-Token") != SessionToken || !signed.Contains("x-amz-security-token")))
        {
            return (403, "InvalidClientTokenId", "The security token included in the request is invalid.");
        }

        // The canonical request as received: headers by the names the client signed, body as it arrived.
        var canonical = new StringBuilder()
            .Append(request.Method).Append('\n')
            .Append(http.Path.Value).Append('\n')
            .Append(string.Empty).Append('\n');
        foreach (var name in signed)
        {
            var value = string.Join(",", http.Headers[name].Select(v => string.Join(' ', (v ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries))));
            canonical.Append(name).Append(':').Append(value).Append('\n');
        }

        canonical.Append('\n').Append(signedHeaders).Append('\n').Append(Hex(SHA256.HashData(Encoding.UTF8.GetBytes(request.Body))));
        var stringToSign = $"AWS4-HMAC-SHA256\n{amzDate}\n{string.Join('/', scope[1..])}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString())))}";
        var key = Encoding.UTF8.GetBytes("AWS4" + SecretAccessKey);
        foreach (var step in new[] { scope[1], scope[2], scope[3], "aws4_request" })
        {
            key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(step));
        }

        return Hex(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign))) == signature
            ? null
            : (403, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.");
    }

    // MetricDataQueries.member.N.* regrouped per N.
    private static List<Dictionary<string, string>> Queries(Dictionary<string, string> form) => [.. form
        .Where(f => f.Key.StartsWith("MetricDataQueries.member.", StringComparison.Ordinal))
        .Select(f => (Field: f.Key["MetricDataQueries.member.".Length..], f.Value))
        .GroupBy(f => int.Parse(f.Field[..f.Field.IndexOf('.', StringComparison.Ordinal)], CultureInfo.InvariantCulture))
        .OrderBy(g => g.Key)
        .Select(g => g.ToDictionary(f => f.Field[(f.Field.IndexOf('.', StringComparison.Ordinal) + 1)..], f => f.Value, StringComparer.Ordinal))];

    private XElement Results(Dictionary<string, string> form, List<Dictionary<string, string>> queries, DateTimeOffset start, DateTimeOffset end)
    {
        // StartTime is rounded down to the minute (API reference, StartTime); EndTime is exclusive.
        var from = new DateTimeOffset(start.Year, start.Month, start.Day, start.Hour, start.Minute, 0, TimeSpan.Zero);
        var descending = form.GetValueOrDefault("ScanBy", "TimestampDescending") == "TimestampDescending";
        var returned = queries.Where(q => q.GetValueOrDefault("ReturnData") != "false").ToList();
        var series = returned.Select(q =>
        {
            var points = Data.GetValueOrDefault(q["Id"]) ?? [];
            var inWindow = points.Where(p => p.At >= from && p.At < end);
            return (Query: q, Points: (descending ? inWindow.OrderByDescending(p => p.At) : inWindow.OrderBy(p => p.At)).ToList());
        }).ToList();

        XElement page;
        string? next = null;
        if (InternalErrorOnce)
        {
            InternalErrorOnce = false;
            page = new XElement(Ns("MetricDataResults"), series.Select(s => Member(s.Query, [], "InternalError")));
            next = "retry-0";
        }
        else
        {
            var offset = form.TryGetValue("NextToken", out var token) ? int.Parse(token.Split('-')[1], CultureInfo.InvariantCulture) : 0;
            var flat = series.SelectMany((s, i) => s.Points.Select(p => (Series: i, Point: p))).ToList();
            var slice = flat.Skip(offset).Take(PageSize).ToList();
            next = offset + slice.Count < flat.Count ? $"page-{offset + slice.Count}" : null;
            page = new XElement(Ns("MetricDataResults"), series.Select((s, i) =>
            {
                var here = slice.Where(x => x.Series == i).Select(x => x.Point).ToList();
                var before = flat.Take(offset).Count(x => x.Series == i);
                var complete = before + here.Count == s.Points.Count;
                return here.Count > 0 || (offset == 0 && s.Points.Count == 0) ? Member(s.Query, here, complete ? "Complete" : "PartialData") : null;
            }).OfType<XElement>());
        }

        return new XElement(Ns("GetMetricDataResponse"),
            new XElement(Ns("GetMetricDataResult"), page, next is null ? null : new XElement(Ns("NextToken"), next), new XElement(Ns("Messages"))),
            new XElement(Ns("ResponseMetadata"), new XElement(Ns("RequestId"), Guid.NewGuid().ToString())));
    }

    private static XElement Member(Dictionary<string, string> query, List<(DateTimeOffset At, double Value)> points, string status) =>
        new(Ns("member"),
            new XElement(Ns("Timestamps"), points.Select(p => new XElement(Ns("member"), p.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)))),
            new XElement(Ns("Values"), points.Select(p => new XElement(Ns("member"), p.Value.ToString("R", CultureInfo.InvariantCulture)))),
            new XElement(Ns("Label"), query.GetValueOrDefault("Label") ?? query.GetValueOrDefault("MetricStat.Metric.MetricName") ?? query["Id"]),
            new XElement(Ns("Id"), query["Id"]),
            new XElement(Ns("StatusCode"), status),
            new XElement(Ns("Messages")));

    private static bool TryTime(Dictionary<string, string> form, string name, out DateTimeOffset at) =>
        DateTimeOffset.TryParse(form.GetValueOrDefault(name), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out at);

    private static XName Ns(string name) => XName.Get(name, Namespace);

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);

    private static async Task Answer(HttpContext context, XElement document, CancellationToken cancellationToken)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/xml";
        context.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
        await context.Response.WriteAsync(document.ToString(SaveOptions.DisableFormatting), cancellationToken);
    }

    private static async Task Error(HttpContext context, int status, string type, string code, string message, CancellationToken cancellationToken)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/xml";
        var document = new XElement(Ns("ErrorResponse"),
            new XElement(Ns("Error"), new XElement(Ns("Type"), type), new XElement(Ns("Code"), code), new XElement(Ns("Message"), message)),
            new XElement(Ns("RequestId"), Guid.NewGuid().ToString()));
        await context.Response.WriteAsync(document.ToString(SaveOptions.DisableFormatting), cancellationToken);
    }
}
