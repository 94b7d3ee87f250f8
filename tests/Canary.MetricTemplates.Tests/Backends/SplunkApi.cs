using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Canary.Testing.Http;
using Microsoft.AspNetCore.Http;

namespace Canary.MetricTemplates.Tests.Backends;

/// <summary>
/// Splunk Observability Cloud's SignalFlow over HTTP as documented (https://dev.splunk.com/observability/reference/api/signalflow/latest,
/// "POST /execute"): the program is the <c>text/plain</c> body, <c>start</c>/<c>stop</c> (milliseconds) and
/// <c>immediate</c> are query parameters, the token is <c>X-SF-Token</c>; the answer is a <c>text/event-stream</c> whose
/// events are named by message type with the JSON message as data, pretty-printed over several <c>data:</c> lines, an
/// empty line after each (https://dev.splunk.com/observability/docs/signalflow/messages/): control-message
/// STREAM_START, JOB_START, a JOB_RUNNING_RESOLUTION message, a metadata message per output time series, data messages
/// <c>{"type":"data","logicalTimestampMs":…,"data":[{"tsId":…,"value":…}]}</c>, and END_OF_CHANNEL once <c>stop</c> is
/// reached; a computation that fails sends an error message (<c>error</c>, <c>errorType</c>, <c>message</c>, the fields
/// Splunk's Go client reads) or a CHANNEL_ABORT with its <c>abortInfo</c>. A program that does not compile is answered
/// 400 with the JSON <c>message</c>/<c>errorType</c> Splunk's Python SSE client (signalfx-python sse.py) reads. The REST
/// API's <c>GET /v2/metric?limit=1</c> (https://dev.splunk.com/observability/reference/api/metrics_metadata/latest)
/// answers <c>{"count":…,"results":[…]}</c>. A bad token is 401; rate limiting is a 429 without any rate-limit header.
/// </summary>
internal sealed class SplunkApi
{
    public const string Token = "sfx-0123456789ABCDEFabcdef";

    private static readonly JsonSerializerOptions Pretty = new() { WriteIndented = true };

    /// <summary>The time series the program publishes: ID and its value at each logical timestamp (null: no value then).</summary>
    public List<(string TsId, double?[] Values)> Series { get; } = [];

    /// <summary>Answers 429 to the next this many executions.</summary>
    public int RateLimited { get; set; }

    /// <summary>When set, the computation fails with this error message after it started.</summary>
    public string? ComputationError { get; set; }

    /// <summary>When set, the computation is aborted with this reason after its data.</summary>
    public string? AbortReason { get; set; }

    /// <summary>Ends the stream after the data, before END_OF_CHANNEL (a dropped connection).</summary>
    public bool CutShort { get; set; }

    // The server reads the body to record it: the program is taken from the record.
    public async Task HandleAsync(HttpContext context, RecordedRequest recorded, CancellationToken cancellationToken)
    {
        var request = context.Request;
        if (request.Headers["X-SF-Token"] != Token)
        {
            await Json(context, 401, new JsonObject { ["code"] = 401, ["message"] = "Unauthorized" }, cancellationToken);
            return;
        }

        if (request.Method == "GET" && request.Path == "/v2/metric")
        {
            await Json(context, 200, new JsonObject
            {
                ["count"] = 1804,
                ["results"] = new JsonArray(new JsonObject { ["name"] = "traces.count", ["type"] = "COUNTER", ["description"] = null, ["custom"] = false }),
            }, cancellationToken);
            return;
        }

        if (request.Method != "POST" || request.Path != "/v2/signalflow/execute")
        {
            await Json(context, 404, new JsonObject { ["code"] = 404, ["message"] = "Not Found" }, cancellationToken);
            return;
        }

        if (RateLimited > 0)
        {
            RateLimited--;
            context.Response.StatusCode = 429;
            return;
        }

        var program = recorded.Body;
        if (request.ContentType is not { } contentType || !contentType.StartsWith("text/plain", StringComparison.Ordinal))
        {
            await Json(context, 415, new JsonObject { ["code"] = 415, ["message"] = "Content-Type must be text/plain" }, cancellationToken);
            return;
        }

        if (!long.TryParse(request.Query["start"], CultureInfo.InvariantCulture, out var start) || !long.TryParse(request.Query["stop"], CultureInfo.InvariantCulture, out var stop)
            || start >= stop || request.Query["immediate"] != "true")
        {
            await Json(context, 400, new JsonObject { ["errorType"] = "INVALID_PARAMETER", ["message"] = "start must be before stop, and this test server only runs immediate computations" }, cancellationToken);
            return;
        }

        if (!program.Contains("publish(", StringComparison.Ordinal) || program.Count(c => c == '(') != program.Count(c => c == ')'))
        {
            await Json(context, 400, new JsonObject
            {
                ["errorType"] = "PROGRAM_COMPILATION_ERROR",
                ["message"] = $"Compilation of the SignalFlow program failed at line {program.Split('\n').Length}: unexpected end of input",
            }, cancellationToken);
            return;
        }

        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/event-stream";
        await Event(context, "control-message", new JsonObject { ["type"] = "control-message", ["channel"] = "R0", ["event"] = "STREAM_START", ["timestampMs"] = stop }, cancellationToken);
        await Event(context, "control-message", new JsonObject { ["type"] = "control-message", ["channel"] = "R0", ["event"] = "JOB_START", ["handle"] = "FzuLJ6bAgAA", ["timestampMs"] = stop }, cancellationToken);
        if (ComputationError is { } error)
        {
            await Event(context, "error", new JsonObject { ["type"] = "error", ["channel"] = "R0", ["error"] = 400, ["errorType"] = "ANALYTICS_JOB_ERROR", ["message"] = error }, cancellationToken);
            return;
        }

        const long Resolution = 10_000;
        await Event(context, "message", new JsonObject
        {
            ["type"] = "message",
            ["channel"] = "R0",
            ["logicalTimestampMs"] = start,
            ["message"] = new JsonObject { ["messageCode"] = "JOB_RUNNING_RESOLUTION", ["messageLevel"] = "INFO", ["contents"] = new JsonObject { ["resolutionMs"] = Resolution }, ["timestampMs"] = stop },
        }, cancellationToken);
        foreach (var (tsId, _) in Series)
        {
            await Event(context, "metadata", new JsonObject
            {
                ["type"] = "metadata",
                ["channel"] = "R0",
                ["tsId"] = tsId,
                ["properties"] = new JsonObject { ["sf_isPreQuantized"] = true, ["sf_key"] = new JsonArray("sf_originatingMetric"), ["sf_resolutionMs"] = Resolution, ["sf_type"] = "MetricTimeSeries" },
            }, cancellationToken);
        }

        var steps = Series.Count == 0 ? 0 : Series.Max(s => s.Values.Length);
        for (var step = 0; step < steps; step++)
        {
            var at = start + ((step + 1) * Resolution);
            await Event(context, "data", new JsonObject
            {
                ["type"] = "data",
                ["channel"] = "R0",
                ["logicalTimestampMs"] = at,
                ["data"] = new JsonArray([.. Series.Where(s => step < s.Values.Length).Select(s => (JsonNode)new JsonObject { ["tsId"] = s.TsId, ["value"] = s.Values[step] })]),
            }, cancellationToken);
        }

        if (AbortReason is { } reason)
        {
            await Event(context, "control-message", new JsonObject
            {
                ["type"] = "control-message",
                ["channel"] = "R0",
                ["event"] = "CHANNEL_ABORT",
                ["abortInfo"] = new JsonObject { ["sf_job_abortReason"] = reason, ["sf_job_abortState"] = "FAILED" },
                ["timestampMs"] = stop,
            }, cancellationToken);
            return;
        }

        if (!CutShort)
        {
            await Event(context, "control-message", new JsonObject { ["type"] = "control-message", ["channel"] = "R0", ["event"] = "END_OF_CHANNEL", ["timestampMs"] = stop }, cancellationToken);
        }
    }

    public static Task<LoopbackServer> StartAsync(SplunkApi api) => LoopbackServer.StartAsync((context, recorded, _, ct) => api.HandleAsync(context, recorded, ct));

    private static async Task Event(HttpContext context, string type, JsonObject message, CancellationToken cancellationToken)
    {
        var lines = message.ToJsonString(Pretty).Split('\n').Select(l => "data: " + l.TrimEnd('\r'));
        await context.Response.WriteAsync($"event: {type}\n{string.Join('\n', lines)}\n\n", cancellationToken);
        await context.Response.Body.FlushAsync(cancellationToken);
    }

    private static async Task Json(HttpContext context, int status, JsonObject body, CancellationToken cancellationToken)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString(), cancellationToken);
    }
}
