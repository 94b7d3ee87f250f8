using System.Net;
using Canary.Api.Http;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Canary.Webhooks.Http;

/// <summary>
/// Retry (outer) around a per-attempt timeout (inner), retrying what go-retryablehttp retries: connection errors except TLS
/// failures and refused redirects, timeouts, 429 and 5xx except 501. Retry-After is honoured up to the maximum delay.
/// The timeout covers the whole attempt, reading the body included, so a receiver that trickles its answer is cut off too.
/// </summary>
internal static class RetryPipeline
{
    // Polly rejects shorter timeouts; a hook this short could not get an answer anyway.
    private static readonly TimeSpan MinimumTimeout = TimeSpan.FromMilliseconds(10);

    public static ResiliencePipeline<HttpAnswer> Build(
        TimeSpan attemptTimeout, int retries, TimeSpan baseDelay, TimeSpan maxDelay, TimeProvider timeProvider)
    {
        var builder = new ResiliencePipelineBuilder<HttpAnswer> { TimeProvider = timeProvider };
        if (retries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpAnswer>
            {
                MaxRetryAttempts = retries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = false,
                Delay = baseDelay,
                MaxDelay = maxDelay,
                ShouldHandle = static args => ValueTask.FromResult(IsTransient(args.Outcome)),
                DelayGenerator = args => ValueTask.FromResult(
                    args.Outcome.Result?.RetryAfter is { } wait ? (TimeSpan?)(wait < maxDelay ? wait : maxDelay) : null),
            });
        }

        builder.AddTimeout(attemptTimeout < MinimumTimeout ? MinimumTimeout : attemptTimeout);
        return builder.Build();
    }

    private static bool IsTransient(Outcome<HttpAnswer> outcome) => outcome switch
    {
        { Exception: TimeoutRejectedException } => true,
        { Exception: RedirectRefusedException } => false,
        { Exception: HttpRequestException e } => e.HttpRequestError != HttpRequestError.SecureConnectionError,
        { Exception: not null } => false,
        { Result: { } answer } => answer.StatusCode == (int)HttpStatusCode.TooManyRequests ||
                                 (answer.StatusCode >= 500 && answer.StatusCode != (int)HttpStatusCode.NotImplemented),
        _ => false,
    };
}
