using System.Globalization;
using System.Net;
using System.Text;
using Canary.Api.Http;
using Polly;
using Polly.Timeout;

namespace Canary.MetricTemplates.Providers.Http;

/// <summary>A backend's answer read in full: status and body (already within the size limit).</summary>
/// <param name="StatusCode">HTTP status.</param>
/// <param name="Body">The body as text.</param>
internal sealed record MetricHttpAnswer(HttpStatusCode StatusCode, string Body)
{
    /// <summary>True for a 2xx answer.</summary>
    public bool IsSuccess => (int)StatusCode is >= 200 and < 300;
}

/// <summary>
/// The HTTP round trip every metric backend shares: the retry/timeout pipeline around each attempt (body included, so a
/// trickling answer ends at the attempt timeout and an endless one at the size limit), transport failures as
/// "unreachable", and every message scrubbed of the credentials it was given, so no key reaches an Event or a status.
/// </summary>
internal sealed class MetricHttpClient(
    string backend, HttpClient httpClient, ResiliencePipeline<HttpResponseMessage> pipeline, int maxResponseBytes, IEnumerable<string>? secrets = null)
{
    private readonly string[] _secrets = [.. (secrets ?? []).Where(s => s.Length >= 4).OrderByDescending(s => s.Length)];

    /// <summary>Sends the request <paramref name="build"/> makes (once per attempt); the answer, or the failure as a query result.</summary>
    public async Task<(MetricHttpAnswer? Answer, MetricQueryResult? Failure)> SendAsync(
        Func<HttpRequestMessage> build, string target, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await pipeline.ExecuteAsync(
                static (state, ct) => state.Client.SendOnceAsync(state.Build, ct), (Client: this, Build: build), cancellationToken);
        }
        catch (TimeoutRejectedException ex)
        {
            return (null, MetricQueryResult.Unreachable($"request to {target} timed out after {ex.Timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s"));
        }
        catch (ResponseTooLargeException)
        {
            return (null, MetricQueryResult.Failed($"answer of {target} is larger than the limit of {FormatBytes(maxResponseBytes)}"));
        }
        catch (RedirectRefusedException ex)
        {
            return (null, MetricQueryResult.Failed(Scrub($"request to {target} failed: {ex.Message}")));
        }
        catch (HttpRequestException ex)
        {
            return (null, MetricQueryResult.Unreachable(Scrub($"request to {target} failed: {ex.Message}")));
        }

        using (response)
        {
            // Already buffered by SendOnceAsync: this neither waits nor grows.
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            return (new MetricHttpAnswer(response.StatusCode, body), null);
        }
    }

    /// <summary>
    /// The usual query: a 2xx answer's body goes to <paramref name="parse"/>, anything else is <see cref="Failure"/>, a
    /// transport failure unreachable.
    /// </summary>
    public async Task<MetricQueryResult> QueryAsync(
        Func<HttpRequestMessage> build, string target, Func<string, MetricQueryResult> parse, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var (answer, failure) = await SendAsync(build, target, cancellationToken);
        return answer switch
        {
            null => failure!,
            { IsSuccess: true } => parse(answer.Body),
            _ => Failure(answer, target),
        };
    }

    /// <summary>The usual availability probe: online on a 2xx answer, else offline with what went wrong.</summary>
    public async Task<MetricProviderHealth> ProbeAsync(Func<HttpRequestMessage> build, string target, CancellationToken cancellationToken)
    {
        var (answer, failure) = await SendAsync(build, target, cancellationToken);
        return answer switch
        {
            null => MetricProviderHealth.Offline(failure!.Detail!),
            { IsSuccess: true } => MetricProviderHealth.Online,
            _ => MetricProviderHealth.Offline(Failure(answer, target).Detail!),
        };
    }

    /// <summary>
    /// The usual reading of a failed answer: 502/503/504 (and a 429 still there after the retries) unreachable, any other
    /// 4xx/5xx an error naming the backend, with the start of the body.
    /// </summary>
    public MetricQueryResult Failure(MetricHttpAnswer answer, string target)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var detail = $"{backend} {target} answered {(int)answer.StatusCode}: {Excerpt(answer.Body)}";
        return answer.StatusCode is HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout or HttpStatusCode.TooManyRequests
            ? MetricQueryResult.Unreachable(detail)
            : MetricQueryResult.Failed(detail);
    }

    /// <summary>The first 512 characters of <paramref name="text"/>, scrubbed of the credentials.</summary>
    public string Excerpt(string text) => Scrub(PrometheusResponseParser.Truncate(text));

    /// <summary><paramref name="text"/> with every credential this client was given replaced by <c>***</c>.</summary>
    public string Scrub(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (_secrets.Length == 0)
        {
            return text;
        }

        var scrubbed = new StringBuilder(text);
        foreach (var secret in _secrets)
        {
            scrubbed.Replace(secret, "***");
        }

        return scrubbed.ToString();
    }

    private async ValueTask<HttpResponseMessage> SendOnceAsync(Func<HttpRequestMessage> build, CancellationToken cancellationToken)
    {
        using var request = build();
        var response = await httpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        await BufferAsync(response, maxResponseBytes, cancellationToken);
        return response;
    }

    /// <summary>
    /// Reads <paramref name="response"/>'s body into memory, at most <paramref name="maxResponseBytes"/>
    /// (<see cref="ResponseTooLargeException"/> beyond); the response is disposed when it fails.
    /// </summary>
    public static async Task BufferAsync(HttpResponseMessage response, int maxResponseBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        try
        {
            await response.Content.LoadIntoBufferAsync(maxResponseBytes, cancellationToken);
        }
        catch (HttpRequestException ex) when (ex.HttpRequestError == HttpRequestError.ConfigurationLimitExceeded)
        {
            response.Dispose();
            throw new ResponseTooLargeException(ex.Message, ex);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    private static string FormatBytes(int bytes) => bytes switch
    {
        >= 1024 * 1024 when bytes % (1024 * 1024) == 0 => FormattableString.Invariant($"{bytes / (1024 * 1024)} MiB"),
        >= 1024 when bytes % 1024 == 0 => FormattableString.Invariant($"{bytes / 1024} KiB"),
        _ => FormattableString.Invariant($"{bytes} bytes"),
    };
}
