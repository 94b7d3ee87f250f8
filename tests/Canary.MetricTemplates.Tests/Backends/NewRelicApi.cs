using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Canary.Testing.Http;
using Microsoft.AspNetCore.Http;

namespace Canary.MetricTemplates.Tests.Backends;

/// <summary>
/// New Relic's Insights query API as documented (https://docs.newrelic.com/docs/apis/insights-apis/query-insights-event-data-api):
/// <c>GET /v1/accounts/{account}/query?nrql=…</c> with the URL-encoded NRQL and the account's <c>X-Query-Key</c>; the
/// answer is <c>{"results":[{"count": 80275388}], "metadata": {...}}</c>, one object per selected function keyed by its
/// name (<c>result</c> for arithmetic). Rate limits (same page, "Rate limiting guidelines" and
/// https://docs.newrelic.com/docs/query-your-data/nrql-new-relic-query-language/get-started/rate-limits-nrql-queries):
/// too many queries a minute is 429, too many events inspected 503; no Retry-After is documented, so none is sent. New
/// Relic documents no error body for this API: errors answer <c>{"error": "…"}</c> as the API does in practice (400 for
/// NRQL it cannot parse, 403 for a key that is not the account's).
/// </summary>
internal sealed partial class NewRelicApi
{
    public const string AccountId = "1234567";
    public const string QueryKey = "NRIQ-0123456789abcdefABCDEF012345";

    /// <summary>The next answers' result objects (e.g. <c>{"result": 1.5}</c>); empty answers <c>"results": []</c>.</summary>
    public List<JsonObject> Results { get; } = [];

    /// <summary>Answers 429 (queries per minute) to the next this many queries.</summary>
    public int RateLimited { get; set; }

    /// <summary>Answers 503 (events inspected) to every query while set.</summary>
    public bool InspectedLimitReached { get; set; }

    /// <summary>When set, the query answers this instead of <c>results</c> (FACET, TIMESERIES shapes).</summary>
    public JsonObject? OtherShape { get; set; }

    public async Task HandleAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var request = context.Request;
        if (request.Method != "GET" || request.Path != $"/v1/accounts/{AccountId}/query")
        {
            await Answer(context, 404, Error("Not found"), cancellationToken);
            return;
        }

        if (request.Headers["X-Query-Key"] != QueryKey)
        {
            await Answer(context, 403, Error("Invalid query key"), cancellationToken);
            return;
        }

        if (RateLimited > 0)
        {
            RateLimited--;
            await Answer(context, 429, Error("Too many requests"), cancellationToken);
            return;
        }

        if (InspectedLimitReached)
        {
            await Answer(context, 503, Error("Query rate limit exceeded"), cancellationToken);
            return;
        }

        var nrql = request.Query["nrql"].ToString();
        if (!Nrql().IsMatch(nrql)
            || nrql.Count(c => c == '(') != nrql.Count(c => c == ')'))
        {
            await Answer(context, 400, Error($"NRQL Syntax Error: Error at line 1 position 1, unexpected input in '{nrql}'"), cancellationToken);
            return;
        }

        if (OtherShape is not null)
        {
            await Answer(context, 200, (JsonObject)OtherShape.DeepClone(), cancellationToken);
            return;
        }

        await Answer(context, 200, new JsonObject
        {
            ["results"] = new JsonArray([.. Results.Select(r => (JsonNode)r.DeepClone())]),
            ["metadata"] = new JsonObject
            {
                ["eventTypes"] = new JsonArray("Metric"),
                ["eventType"] = "Metric",
                ["openEnded"] = true,
                ["messages"] = new JsonArray(),
                ["contents"] = new JsonArray(),
            },
        }, cancellationToken);
    }

    public static Task<LoopbackServer> StartAsync(NewRelicApi api) => LoopbackServer.StartAsync(api.HandleAsync);

    // SELECT … FROM <event type> … SINCE …: the clauses New Relic needs (the query must not be sent without its window).
    [GeneratedRegex(@"^\s*SELECT\s.+\sFROM\s+\w+.*\sSINCE\s", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex Nrql();

    private static JsonObject Error(string message) => new() { ["error"] = message };

    private static async Task Answer(HttpContext context, int status, JsonObject body, CancellationToken cancellationToken)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString(), cancellationToken);
    }
}
