namespace Canary.Api.Http;

/// <summary>
/// Settings shared by every outbound HTTP client of the controller (webhooks, alerts, metric backends), applied by
/// <see cref="SameOriginRedirectHandler"/>. Configure with <c>services.Configure&lt;OutboundHttpOptions&gt;(...)</c>.
/// </summary>
public sealed class OutboundHttpOptions
{
    /// <summary>
    /// Hosts a redirect may lead to besides the request's own origin (scheme, host and port), which is always allowed.
    /// An entry is a host name or IP (<c>hooks.example.com</c>: any port) or a host and port (<c>hooks.example.com:8443</c>);
    /// <c>*</c> allows every host. Matching ignores case. Empty by default: a receiver cannot send the controller (and
    /// the request's body) to a host nobody configured. Even an allowed host never gets the Authorization header (other
    /// headers are kept), and an https request is never redirected to http.
    /// </summary>
    public IList<string> AllowedRedirectHosts { get; } = [];

    /// <summary>Redirects followed per request before it fails. Default 5; 0 refuses every redirect.</summary>
    public int MaxRedirects { get; set; } = 5;
}
