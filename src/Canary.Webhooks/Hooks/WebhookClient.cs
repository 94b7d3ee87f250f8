using System.Net.Http.Headers;
using Canary.Api.Durations;
using Canary.Api.Http;
using Canary.Api.V1Beta1;
using Canary.Webhooks.Http;
using Microsoft.Extensions.Options;
using Polly.Timeout;

namespace Canary.Webhooks.Hooks;

/// <summary>
/// <see cref="IWebhookClient"/> over IHttpClientFactory: POST JSON, per-attempt timeout = hook.timeout (default 10s),
/// hook.retries retries with exponential backoff via Polly, disableTLS skips certificate checks; 2xx passes. At most
/// <see cref="WebhookOptions.MaxBodyLength"/> characters of an answer are read, within the timeout, so neither a receiver
/// that never answers nor one that streams forever holds the caller; redirects are followed within the hook's origin only.
/// </summary>
public sealed class WebhookClient(IHttpClientFactory httpClientFactory, IOptions<WebhookOptions> options, TimeProvider timeProvider)
    : IWebhookClient
{
    private readonly WebhookOptions _options = options.Value;

    /// <inheritdoc />
    public async Task<WebhookResult> CallAsync(CanaryWebhook hook, WebhookPayload payload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hook);
        ArgumentNullException.ThrowIfNull(payload);
        if (!Uri.TryCreate(hook.Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            return WebhookResult.Invalid($"url '{hook.Url}' is not an absolute http(s) URL");
        }

        if (!TryGetTimeout(hook.Timeout, out var timeout))
        {
            return WebhookResult.Invalid($"timeout '{hook.Timeout}' is not a duration");
        }

        var body = WebhookPayloadJson.SerializeToUtf8Bytes(payload);
        var client = httpClientFactory.CreateClient(hook.DisableTls == true ? HttpClientNames.WebhooksInsecure : HttpClientNames.Webhooks);
        var pipeline = RetryPipeline.Build(timeout, Math.Max(0, hook.Retries ?? 0), _options.RetryBaseDelay, _options.RetryMaxDelay, timeProvider);
        var attempts = 0;
        try
        {
            var answer = await pipeline.ExecuteAsync(
                async ct =>
                {
                    attempts++;
                    using var request = CreateRequest(url, body);
                    return await HttpAnswer.SendAsync(client, request, _options.MaxBodyLength, timeProvider, ct);
                },
                cancellationToken);
            return answer.IsSuccess
                ? WebhookResult.Success(answer.StatusCode, answer.Body, attempts)
                : WebhookResult.HttpFailure(answer.StatusCode, answer.ReasonPhrase, answer.Body, attempts);
        }
        catch (TimeoutRejectedException)
        {
            return WebhookResult.TimedOut(timeout, attempts);
        }
        catch (RedirectRefusedException e)
        {
            return WebhookResult.RedirectRefused(e.StatusCode is { } status ? (int)status : null, e.Message, attempts);
        }
        catch (HttpRequestException e)
        {
            return WebhookResult.ConnectionFailed(Describe(e), attempts);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // A cancellation we did not ask for is the HTTP stack giving up on its own: report it as a timeout.
            return WebhookResult.TimedOut(timeout, attempts);
        }
    }

    private bool TryGetTimeout(string? text, out TimeSpan timeout)
    {
        // Flagger: anything shorter than two characters ("", "5") means the default.
        if (text is null || text.Length < 2)
        {
            timeout = _options.DefaultTimeout;
            return true;
        }

        if (!GoDuration.TryParse(text, out timeout))
        {
            return false;
        }

        if (timeout <= TimeSpan.Zero)
        {
            timeout = _options.DefaultTimeout;
        }

        return true;
    }

    private static HttpRequestMessage CreateRequest(Uri url, byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
    }

    // The innermost message names the real cause (e.g. "Connection refused", a certificate error).
    private static string Describe(HttpRequestException e) =>
        e.InnerException is { } inner && !string.IsNullOrEmpty(inner.Message) ? $"{e.Message} ({inner.Message})" : e.Message;
}
