using System.Globalization;
using Canary.Controller.Telemetry;

namespace Canary.Controller.Kubernetes;

/// <summary>Counts every API request attempt by verb, resource and status code (innermost handler, so retries count).</summary>
public sealed class ApiMetricsHandler(ControllerMetrics metrics, TimeProvider time) : DelegatingHandler
{
    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var digest = KubeRequestDigest.From(request.Method, request.RequestUri);
        var started = time.GetTimestamp();
        var code = "error";
        try
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            code = ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
            return response;
        }
        finally
        {
            metrics.ApiRequests.Add(1, new("verb", digest.Verb), new("resource", digest.Resource), new("code", code));
            metrics.ApiRequestDuration.Record(time.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>("verb", digest.Verb));
        }
    }
}
