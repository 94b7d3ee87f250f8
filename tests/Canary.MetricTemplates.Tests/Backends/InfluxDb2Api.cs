using System.Text.Json.Nodes;
using Canary.Testing.Http;
using Microsoft.AspNetCore.Http;

namespace Canary.MetricTemplates.Tests.Backends;

/// <summary>
/// InfluxDB 2's query API as documented (https://docs.influxdata.com/influxdb/v2/api/#operation/PostQuery and
/// https://docs.influxdata.com/influxdb/v2/reference/syntax/annotated-csv/): <c>POST /api/v2/query</c> with
/// <c>Authorization: Token</c> (else 401 <c>{"code":"unauthorized","message":"unauthorized access"}</c>), a JSON body with
/// <c>query</c>; a Flux error is 400 <c>{"code":"invalid","message":"..."}</c>; the answer is annotated CSV.
/// <c>GET /ping</c> answers 204.
/// </summary>
internal sealed class InfluxDb2Api
{
    public const string Token = "influx-token-0123456789";

    /// <summary>The annotated CSV the next query answers.</summary>
    public string Csv { get; set; } = "\r\n";

    /// <summary>One table with one record whose columns are the given (name, datatype, value), plus Flux's result/table columns.</summary>
    public static string Table(params (string Name, string Type, string Value)[] columns) =>
        $"#datatype,string,long,{string.Join(',', columns.Select(c => c.Type))}\r\n" +
        $"#group,false,false,{string.Join(',', columns.Select(_ => "false"))}\r\n" +
        $"#default,_result,,{string.Join(',', columns.Select(_ => string.Empty))}\r\n" +
        $",result,table,{string.Join(',', columns.Select(c => c.Name))}\r\n" +
        $",,0,{string.Join(',', columns.Select(c => c.Value))}\r\n\r\n";

    public async Task HandleAsync(HttpContext context, RecordedRequest recorded, CancellationToken cancellationToken)
    {
        var request = context.Request;
        if (request.Path == "/ping")
        {
            context.Response.StatusCode = 204;
            return;
        }

        if (request.Headers.Authorization != $"Token {Token}")
        {
            await Json(context, 401, new JsonObject { ["code"] = "unauthorized", ["message"] = "unauthorized access" }, cancellationToken);
            return;
        }

        // The loopback server has read the body already (recorded).
        var query = recorded.Body.Length == 0 ? string.Empty : (string?)JsonNode.Parse(recorded.Body)?["query"] ?? string.Empty;
        if (request.Path != "/api/v2/query" || request.Method != "POST" || query.Length == 0)
        {
            await Json(context, 400, new JsonObject { ["code"] = "invalid", ["message"] = "failed to decode request body: request body requires either query or AST" }, cancellationToken);
            return;
        }

        if (query.Contains("|> rang(", StringComparison.Ordinal))
        {
            await Json(context, 400, new JsonObject { ["code"] = "invalid", ["message"] = "error calling function \"rang\" @1:20-1:36: undefined identifier rang" }, cancellationToken);
            return;
        }

        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/csv; charset=utf-8";
        await context.Response.WriteAsync(Csv, cancellationToken);
    }

    public static Task<LoopbackServer> StartAsync(InfluxDb2Api api) =>
        LoopbackServer.StartAsync((context, recorded, _, ct) => api.HandleAsync(context, recorded, ct));

    private static async Task Json(HttpContext context, int status, JsonObject body, CancellationToken cancellationToken)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(body.ToJsonString(), cancellationToken);
    }
}
