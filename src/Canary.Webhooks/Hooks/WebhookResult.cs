using System.Globalization;
using Canary.Api.Durations;

namespace Canary.Webhooks.Hooks;

/// <summary>Outcome of one webhook call (after its retries): passed, or failed with a kind and a human reason.</summary>
public sealed record WebhookResult
{
    /// <summary>None when the call passed, else why it failed.</summary>
    public required WebhookFailure Failure { get; init; }

    /// <summary>"" when passed; else e.g. <c>HTTP 500 Internal Server Error: boom</c>, <c>timeout after 10s</c>, <c>connection error: ...</c>.</summary>
    public required string Reason { get; init; }

    /// <summary>Status code of the last response, when there was one.</summary>
    public int? StatusCode { get; init; }

    /// <summary>Start of the last response body (truncated), when there was one; gates often answer with text.</summary>
    public string? Body { get; init; }

    /// <summary>HTTP attempts made (1 + retries used); 0 when nothing was sent.</summary>
    public int Attempts { get; init; }

    /// <summary>True when the receiver answered 2xx.</summary>
    public bool Passed => Failure == WebhookFailure.None;

    /// <summary>A 2xx answer.</summary>
    public static WebhookResult Success(int statusCode, string? body, int attempts) =>
        new() { Failure = WebhookFailure.None, Reason = string.Empty, StatusCode = statusCode, Body = body, Attempts = attempts };

    /// <summary>A non-2xx answer; the reason carries the status and the start of the body (Flagger shows the body in events).</summary>
    public static WebhookResult HttpFailure(int statusCode, string? reasonPhrase, string? body, int attempts)
    {
        var status = string.IsNullOrEmpty(reasonPhrase)
            ? string.Create(CultureInfo.InvariantCulture, $"HTTP {statusCode}")
            : string.Create(CultureInfo.InvariantCulture, $"HTTP {statusCode} {reasonPhrase}");
        var reason = string.IsNullOrWhiteSpace(body) ? status : $"{status}: {body}";
        return new() { Failure = WebhookFailure.HttpStatus, Reason = reason, StatusCode = statusCode, Body = body, Attempts = attempts };
    }

    /// <summary>The last attempt exceeded the hook's timeout.</summary>
    public static WebhookResult TimedOut(TimeSpan timeout, int attempts) =>
        new() { Failure = WebhookFailure.Timeout, Reason = $"timeout after {GoDuration.Format(timeout)}", Attempts = attempts };

    /// <summary>The receiver redirected somewhere the client does not follow (another origin, too many redirects).</summary>
    public static WebhookResult RedirectRefused(int? statusCode, string detail, int attempts) => new()
    {
        Failure = WebhookFailure.HttpStatus,
        Reason = statusCode is { } status ? string.Create(CultureInfo.InvariantCulture, $"HTTP {status}: {detail}") : detail,
        StatusCode = statusCode,
        Attempts = attempts,
    };

    /// <summary>The receiver could not be reached.</summary>
    public static WebhookResult ConnectionFailed(string detail, int attempts) =>
        new() { Failure = WebhookFailure.ConnectionError, Reason = $"connection error: {detail}", Attempts = attempts };

    /// <summary>The hook cannot be called as written.</summary>
    public static WebhookResult Invalid(string detail) =>
        new() { Failure = WebhookFailure.InvalidHook, Reason = $"invalid webhook: {detail}", Attempts = 0 };
}
