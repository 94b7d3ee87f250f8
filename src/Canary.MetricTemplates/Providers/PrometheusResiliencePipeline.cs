using System.Net;
using Canary.Api.Http;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Canary.MetricTemplates.Providers;

/// <summary>
/// Retry of transient failures around a per-attempt timeout, shared by every metric backend. A 429 or 503 with
/// <c>Retry-After</c> waits as long as asked when that fits within one attempt timeout, and is not retried otherwise (the
/// next analysis tick asks again): a rate-limited vendor is never hammered.
/// </summary>
internal static class PrometheusResiliencePipeline
{
    public static ResiliencePipeline<HttpResponseMessage> Create(PrometheusClientOptions options, TimeProvider timeProvider)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = timeProvider };
        if (options.MaxRetryAttempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = options.MaxRetryAttempts,
                Delay = options.RetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome) && (RetryAfter(args.Outcome, timeProvider) is not { } wait || wait <= options.AttemptTimeout)),
                DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome, timeProvider)),

                // A retried attempt abandons the previous answer; release its connection.
                OnRetry = args =>
                {
                    args.Outcome.Result?.Dispose();
                    return default;
                },
            });
        }

        return builder.AddTimeout(options.AttemptTimeout).Build();
    }

    // The server's Retry-After (seconds or a date), or null to keep the exponential backoff.
    private static TimeSpan? RetryAfter(Outcome<HttpResponseMessage> outcome, TimeProvider timeProvider) => outcome.Result?.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - timeProvider.GetUtcNow() is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
        _ => null,
    };

    private static bool IsTransient(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        // A refused redirect would be met again on every retry. (A too large answer is no HttpRequestException: not retried either.)
        { Exception: RedirectRefusedException } => false,
        { Exception: HttpRequestException or TimeoutRejectedException } => true,
        { Result.StatusCode: HttpStatusCode.TooManyRequests or HttpStatusCode.BadGateway
            or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout } => true,
        _ => false,
    };
}
