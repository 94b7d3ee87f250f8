using System.Globalization;
using System.Text.Json.Nodes;
using Canary.Testing.Http;
using Microsoft.AspNetCore.Http;

namespace Canary.MetricTemplates.Tests.Backends;

/// <summary>
/// Datadog's metrics query API as documented (https://docs.datadoghq.com/api/latest/metrics/#query-timeseries-points and
/// https://docs.datadoghq.com/api/latest/authentication/#validate-api-key): <c>GET /api/v1/query</c> needs <c>from</c>,
/// <c>to</c> (POSIX seconds) and <c>query</c>, and both <c>DD-API-KEY</c> and <c>DD-APPLICATION-KEY</c> (else 403
/// <c>{"errors":["Forbidden"]}</c>); a query it cannot parse is 400 <c>{"status":"error","errors":[...]}</c>; the answer is
/// <c>{"status":"ok","res_type":"time_series","series":[{"pointlist":[[ms, value]], "interval": s, ...}]}</c>.
/// <c>GET /api/v1/validate</c> checks the API key alone (<c>{"valid":true}</c>, else 403).
/// </summary>
internal sealed class DatadogApi
{
    public const string ApiKey = "dd-api-0123456789abcdef";
    public const string ApplicationKey = "dd-app-fedcba9876543210";

    /// <summary>The series the next query answers: (points as (unix seconds, value or null), bucket seconds) per series.</summary>
    public List<(IReadOnlyList<(long At, double? Value)> Points, int Interval)> Series { get; } = [];

    /// <summary>Answers 429 with Retry-After to the next this many queries.</summary>
    public int RateLimited { get; set; }

    public async Task HandleAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var request = context.Request;
        if (request.Path == "/api/v1/validate")
        {
            await Answer(context, request.Headers["DD-API-KEY"] == ApiKey ? 200 : 403,
                request.Headers["DD-API-KEY"] == ApiKey ? new JsonObject { ["valid"] = true } : Errors("Forbidden"), cancellationToken);
            return;
        }

        if (request.Path != "/api/v1/query" || request.Method != "GET")
        {
            await Answer(context, 404, Errors("Not found"), cancellationToken);
            return;
        }

        if (request.Headers["DD-API-KEY"] != ApiKey || request.Headers["DD-APPLICATION-KEY"] != ApplicationKey)
        {
            await Answer(context, 403, Errors("Forbidden"), cancellationToken);
            return;
        }

        if (RateLimited > 0)
        {
            RateLimited--;
            context.Response.Headers["Retry-After"] = "1";
            context.Response.Headers["X-RateLimit-Limit"] = "1600";
            await Answer(context, 429, Errors("Rate limit of 1600 requests in 3600 seconds reached."), cancellationToken);
            return;
        }

        var query = request.Query["query"].ToString();
        if (!long.TryParse(request.Query["from"], CultureInfo.InvariantCulture, out var from) || !long.TryParse(request.Query["to"], CultureInfo.InvariantCulture, out var to) || query.Length == 0)
        {
            await Answer(context, 400, new JsonObject { ["status"] = "error", ["errors"] = new JsonArray("from, to and query are required") }, cancellationToken);
            return;
        }

        if (query.Count(c => c == '(') != query.Count(c => c == ')'))
        {
            await Answer(context, 400, new JsonObject { ["status"] = "error", ["errors"] = new JsonArray($"Error parsing query: \n unable to parse {query}: Rule 'scope_expr' didn't match") }, cancellationToken);
            return;
        }

        var series = new JsonArray([.. Series.Select(s => (JsonNode)new JsonObject
        {
            ["metric"] = "trace.http.request.errors",
            ["scope"] = "service:podinfo",
            ["expression"] = query,
            ["interval"] = s.Interval,
            ["aggr"] = "sum",
            ["length"] = s.Points.Count,
            ["pointlist"] = new JsonArray([.. s.Points.Where(p => p.At >= from && p.At <= to).Select(p => (JsonNode)new JsonArray(p.At * 1000.0, p.Value is { } v ? JsonValue.Create(v) : null))]),
        })]);
        await Answer(context, 200, new JsonObject
        {
            ["status"] = "ok",
            ["res_type"] = "time_series",
            ["query"] = query,
            ["from_date"] = from * 1000,
            ["to_date"] = to * 1000,
            ["series"] = series,
            ["group_by"] = new JsonArray(),
            ["message"] = string.Empty,
        }, cancellationToken);
    }

    public static Task<LoopbackServer> StartAsync(DatadogApi api) => LoopbackServer.StartAsync(api.HandleAsync);

    private static JsonObject Errors(string message) => new() { ["errors"] = new JsonArray(message) };

    private static async Task Answer(HttpContext context, int status, JsonObject body, CancellationToken cancellationToken)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString(), cancellationToken);
    }
}
