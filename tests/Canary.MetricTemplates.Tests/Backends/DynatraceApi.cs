using System.Globalization;
using System.Text.Json.Nodes;
using Canary.Testing.Http;
using Microsoft.AspNetCore.Http;

namespace Canary.MetricTemplates.Tests.Backends;

/// <summary>
/// Dynatrace's Metrics API v2 as documented. <c>GET /api/v2/metrics/query</c>
/// (https://docs.dynatrace.com/docs/dynatrace-api/environment-api/metric-v2/get-data-points): <c>metricSelector</c>
/// required, <c>from</c>/<c>to</c> (here UTC milliseconds), <c>resolution</c> (<c>Inf</c>: one value per series), series
/// paged (<c>pageSize</c>, 100 by default) with <c>nextPageKey</c> in the answer, null on the last page; "when the
/// nextPageKey is set to obtain subsequent pages, you must omit all other query parameters". The answer is
/// <c>{"totalCount","nextPageKey","resolution","warnings"?,"result":[{"metricId","dataPointCountRatio","dimensionCountRatio",
/// "data":[{"dimensions","dimensionMap","timestamps","values"}]}]}</c>, a value null where the window has no data points.
/// <c>GET /api/v2/metrics?pageSize=1</c> (https://docs.dynatrace.com/docs/dynatrace-api/environment-api/metric-v2/get-all-metrics)
/// lists metric descriptors. Token: <c>Authorization: Api-Token …</c> with scope <c>metrics.read</c>
/// (https://docs.dynatrace.com/docs/dynatrace-api/basics/dynatrace-api-authentication). Errors are the documented
/// envelope <c>{"error":{"code","message","constraintViolations"?}}</c> with the codes of
/// https://docs.dynatrace.com/docs/dynatrace-api/basics/dynatrace-api-response-codes (400 with the violations, 401 token
/// authentication failed, 403 scope missing, 429 limit reached, with the X-RateLimit-* headers of
/// https://docs.dynatrace.com/docs/dynatrace-api/basics/access-limit and a Retry-After).
/// </summary>
internal sealed class DynatraceApi
{
    public const string Token = "dt0c01.ST2EY72KQINMH574WMNVI7YN.G3DFPBEJYMODIDAEX454M7YWBUVEFOWKPRVMWFASS64NFH52PX6BNDVFFM572RZM";

    /// <summary>A valid token of the environment that lacks the metrics.read scope.</summary>
    public const string TokenWithoutScope = "dt0c01.NOSCOPE0000000000000000.0000000000000000000000000000000000000000000000000000000000000000";

    /// <summary>The selector's series: dimension (a service ID) and its value over the window (null: no data points).</summary>
    public List<(string Service, double? Value)> Series { get; } = [];

    /// <summary>Series a page; Dynatrace's default is 100.</summary>
    public int PageSize { get; set; } = 100;

    /// <summary>Warnings the query answer carries (an unknown dimension, a metric not written lately, …).</summary>
    public List<string> Warnings { get; } = [];

    /// <summary>Answers 429 to the next this many requests.</summary>
    public int RateLimited { get; set; }

    public async Task HandleAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var request = context.Request;
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.Length == 0)
        {
            await Answer(context, 401, Error(401, "Missing authorization parameter."), cancellationToken);
            return;
        }

        if (authorization == "Api-Token " + TokenWithoutScope)
        {
            await Answer(context, 403, Error(403, "Token is missing required scope. Use one of: metrics.read (Read metrics)"), cancellationToken);
            return;
        }

        if (authorization != "Api-Token " + Token)
        {
            await Answer(context, 401, Error(401, "Token Authentication failed"), cancellationToken);
            return;
        }

        if (RateLimited > 0)
        {
            RateLimited--;
            context.Response.Headers["X-RateLimit-Limit"] = "50";
            context.Response.Headers["X-RateLimit-Remaining"] = "0";
            context.Response.Headers["X-RateLimit-Reset"] = (DateTimeOffset.UtcNow.AddSeconds(1).ToUnixTimeMilliseconds() * 1000).ToString(CultureInfo.InvariantCulture);
            context.Response.Headers.RetryAfter = "1";
            await Answer(context, 429, Error(429, "Too Many Requests"), cancellationToken);
            return;
        }

        if (request.Method == "GET" && request.Path == "/api/v2/metrics")
        {
            await Answer(context, 200, new JsonObject
            {
                ["totalCount"] = 2,
                ["nextPageKey"] = "AQAAABQBAAAABQ==",
                ["metrics"] = new JsonArray(new JsonObject
                {
                    ["metricId"] = "builtin:service.response.time",
                    ["displayName"] = "Response time",
                    ["description"] = "The time taken to process a service request.",
                    ["unit"] = "MicroSecond",
                }),
            }, cancellationToken);
            return;
        }

        if (request.Method != "GET" || request.Path != "/api/v2/metrics/query")
        {
            await Answer(context, 404, Error(404, "Not found"), cancellationToken);
            return;
        }

        var query = request.Query;
        int page;
        string selector;
        if (query.ContainsKey("nextPageKey"))
        {
            if (query.Count > 1)
            {
                await Answer(context, 400, Violation("nextPageKey", "If nextPageKey is set, no other query parameters may be set."), cancellationToken);
                return;
            }

            (selector, page) = PageKey.Parse(query["nextPageKey"].ToString());
        }
        else
        {
            selector = query["metricSelector"].ToString();
            if (selector.Length == 0)
            {
                await Answer(context, 400, Violation("metricSelector", "must not be null"), cancellationToken);
                return;
            }

            if (selector.Count(c => c == '(') != selector.Count(c => c == ')'))
            {
                await Answer(context, 400, Violation("metricSelector", $"The metric selector is invalid: Unexpected token at position {selector.Length}: '{selector}'"), cancellationToken);
                return;
            }

            if (!long.TryParse(query["from"], CultureInfo.InvariantCulture, out var from) || !long.TryParse(query["to"], CultureInfo.InvariantCulture, out var to) || from >= to)
            {
                await Answer(context, 400, Violation("from", "The timeframe is invalid: from must be before to"), cancellationToken);
                return;
            }

            page = 0;
        }

        var pages = Math.Max(1, (Series.Count + PageSize - 1) / PageSize);
        var data = Series.Skip(page * PageSize).Take(PageSize).Select(s => (JsonNode)new JsonObject
        {
            ["dimensions"] = new JsonArray(s.Service),
            ["dimensionMap"] = new JsonObject { ["dt.entity.service"] = s.Service },
            ["timestamps"] = new JsonArray(1733400000000),
            ["values"] = new JsonArray(s.Value is { } v ? JsonValue.Create(v) : null),
        });
        var answer = new JsonObject
        {
            ["totalCount"] = Series.Count,
            ["nextPageKey"] = page + 1 < pages ? PageKey.Of(selector, page + 1) : null,
            ["resolution"] = "Inf",
            ["result"] = new JsonArray(new JsonObject
            {
                ["metricId"] = selector,
                ["dataPointCountRatio"] = 0.0001,
                ["dimensionCountRatio"] = 0.001,
                ["data"] = new JsonArray([.. data]),
            }),
        };
        if (Warnings.Count > 0)
        {
            answer["warnings"] = new JsonArray([.. Warnings.Select(w => (JsonNode)w)]);
        }

        await Answer(context, 200, answer, cancellationToken);
    }

    public static Task<LoopbackServer> StartAsync(DynatraceApi api) => LoopbackServer.StartAsync(api.HandleAsync);

    private static JsonObject Error(int code, string message) => new() { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } };

    private static JsonObject Violation(string parameter, string message) => new()
    {
        ["error"] = new JsonObject
        {
            ["code"] = 400,
            ["message"] = "Constraints violated.",
            ["constraintViolations"] = new JsonArray(new JsonObject
            {
                ["path"] = parameter,
                ["message"] = message,
                ["parameterLocation"] = "QUERY",
                ["location"] = null,
            }),
        },
    };

    private static async Task Answer(HttpContext context, int status, JsonObject body, CancellationToken cancellationToken)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString(), cancellationToken);
    }

    // An opaque cursor as Dynatrace's (base64, with the characters a query string must escape) carrying selector and page.
    private static class PageKey
    {
        public static string Of(string selector, int page) =>
            Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(FormattableString.Invariant($"{page}|{selector}")));

        public static (string Selector, int Page) Parse(string key)
        {
            var text = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(key));
            var bar = text.IndexOf('|', StringComparison.Ordinal);
            return (text[(bar + 1)..], int.Parse(text[..bar], CultureInfo.InvariantCulture));
        }
    }
}
