using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Canary.Api.Durations;
using Canary.Webhooks.Http;
using Microsoft.Extensions.Options;
using Polly.Timeout;

namespace Canary.Webhooks.Alerts;

/// <summary>POSTs a notifier's JSON: bearer token when set, proxy per endpoint, timeout and retries from <see cref="AlertOptions"/>.</summary>
public sealed class AlertHttpSender(IHttpClientFactory httpClientFactory, IOptions<AlertOptions> options, TimeProvider timeProvider)
{
    private const int MaxBodyLength = 512;
    private readonly AlertOptions _options = options.Value;

    /// <summary>Posts <paramref name="payload"/> to <paramref name="address"/>; throws <see cref="AlertDeliveryException"/> unless the answer is 2xx.</summary>
    public async Task PostJsonAsync<TPayload>(AlertEndpoint endpoint, Uri address, TPayload payload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(address);
        var body = JsonSerializer.SerializeToUtf8Bytes(payload, GoJson.Options);
        var client = httpClientFactory.CreateClient(HttpClientNames.AlertsVia(endpoint.Proxy));
        var pipeline = RetryPipeline.Build(_options.Timeout, _options.Retries, _options.RetryBaseDelay, _options.RetryMaxDelay, timeProvider);
        HttpAnswer answer;
        try
        {
            answer = await pipeline.ExecuteAsync(
                async ct =>
                {
                    using var request = CreateRequest(address, body, endpoint.Token);
                    return await HttpAnswer.SendAsync(client, request, MaxBodyLength, timeProvider, ct);
                },
                cancellationToken);
        }
        catch (TimeoutRejectedException e)
        {
            throw new AlertDeliveryException($"{endpoint.ProviderType}: no answer within {GoDuration.Format(_options.Timeout)}", e);
        }
        catch (HttpRequestException e)
        {
            throw new AlertDeliveryException($"{endpoint.ProviderType}: {e.Message}", e);
        }

        if (!answer.IsSuccess)
        {
            throw new AlertDeliveryException(string.Create(
                CultureInfo.InvariantCulture, $"{endpoint.ProviderType}: HTTP {answer.StatusCode} {answer.ReasonPhrase}: {answer.Body}").TrimEnd(' ', ':'));
        }
    }

    private static HttpRequestMessage CreateRequest(Uri address, byte[] body, string? token)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, address) { Content = content };
        if (!string.IsNullOrEmpty(token))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return request;
    }
}
