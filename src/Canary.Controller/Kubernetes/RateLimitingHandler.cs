namespace Canary.Controller.Kubernetes;

/// <summary>Holds every request (each retry attempt too) to the client-side QPS/burst limit.</summary>
public sealed class RateLimitingHandler(TokenBucket bucket) : DelegatingHandler
{
    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        await bucket.WaitAsync(cancellationToken).ConfigureAwait(false);
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
