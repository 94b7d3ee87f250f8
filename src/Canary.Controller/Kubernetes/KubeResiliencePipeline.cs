using System.Net;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Canary.Controller.Kubernetes;

/// <summary>
/// The one resilience pipeline of Kubernetes API calls: retry (exponential, jittered, honouring Retry-After) around
/// a per-attempt timeout. 429 and connection failures are retried for every verb (the server did nothing);
/// 5xx and timeouts only for idempotent verbs. 409/422 are never retried here: callers re-read and recompute.
/// No circuit breaker: with one API server a breaker only stalls everything.
/// </summary>
public static class KubeResiliencePipeline
{
    /// <summary>Carries the request's HTTP method into the retry predicate.</summary>
    public static readonly ResiliencePropertyKey<HttpMethod> MethodKey = new("canary.kube.method");

    /// <summary>Builds the pipeline on <paramref name="time"/>.</summary>
    public static ResiliencePipeline<HttpResponseMessage> Create(TimeProvider time, KubeResilienceOptions? options = null)
    {
        options ??= new KubeResilienceOptions();
        return new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.BaseDelay,
                MaxDelay = options.MaxDelay,
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, args.Context)),
                DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome, options.MaxRetryAfter, time)),
            })
            .AddTimeout(options.AttemptTimeout)
            .Build();
    }

    /// <summary>Whether an attempt's outcome deserves another attempt.</summary>
    public static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, ResilienceContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var idempotent = !context.Properties.TryGetValue(MethodKey, out var method) || IsIdempotent(method);
        if (outcome.Exception is { } e)
        {
            return e switch
            {
                HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError } => true,
                HttpRequestException or IOException or TimeoutRejectedException => idempotent,
                _ => false,
            };
        }

        var status = outcome.Result?.StatusCode;
        return status == HttpStatusCode.TooManyRequests
            || (idempotent && status is HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway
                or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout);
    }

    private static bool IsIdempotent(HttpMethod method) =>
        method == HttpMethod.Get || method == HttpMethod.Head || method == HttpMethod.Put
        || method == HttpMethod.Delete || method == HttpMethod.Options;

    // Null lets the exponential backoff decide; a Retry-After header overrides it (capped).
    private static TimeSpan? RetryAfter(Outcome<HttpResponseMessage> outcome, TimeSpan cap, TimeProvider time)
    {
        var header = outcome.Result?.Headers.RetryAfter;
        TimeSpan? delay = header?.Delta ?? (header?.Date is { } date ? date - time.GetUtcNow() : null);
        return delay is { } d ? (d < TimeSpan.Zero ? TimeSpan.Zero : d > cap ? cap : d) : null;
    }
}
